package io.kubermi.api;

/** Why a node's part of a removal is Failed. */
public enum NodeFailureReason {
  /**
   * An image could not be removed because of a docker rmi conflict (or was protected under force).
   */
  Conflict,
  /** The engine answered with an error, or could not be reached. */
  EngineError,
  /** No agent picked the node's work up before the deadline. */
  AgentUnavailable,
  /** The agent started but did not finish before the deadline. */
  Timeout,
  /** The node was deleted while the removal was running. */
  NodeGone,
  /** The removal's spec is invalid; nothing was attempted. */
  InvalidSpec
}
