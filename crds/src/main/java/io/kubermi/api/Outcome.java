package io.kubermi.api;

/** What happened to one entry of spec.images on one node. */
public enum Outcome {
  /** Untagged and/or deleted, as docker rmi would. */
  Removed,
  /** No image matches the reference on this node (not a failure). */
  NotFound,
  /** docker rmi refused: the image is in use, referenced several times, or has children. */
  Conflict,
  /** The image matches the agent's protected list and is never removed. */
  Protected,
  /** The engine failed or the reference could not be processed. */
  Error
}
