package io.kubermi.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * What one node's run says, declared once: a NodeImageRemoval's status and the parent's per-node
 * entry both carry these fields, and the operator copies them with {@link #copyRunStateFrom}.
 */
public abstract class NodeRunState {
  @JsonPropertyDescription("Pending, Running, Succeeded or Failed.")
  private RemovalPhase phase;

  @JsonPropertyDescription(
      "Why the node Failed: Conflict, EngineError, AgentUnavailable, Timeout, NodeGone or InvalidSpec.")
  private NodeFailureReason reason;

  @JsonPropertyDescription("A human-readable explanation of the reason.")
  private String message;

  @JsonPropertyDescription(
      "The node's container engine and version, e.g. 'docker 20.10.24' or 'containerd 1.7.27'.")
  private String engine;

  @JsonPropertyDescription("One result per entry of spec.images, in order.")
  private List<ImageResult> results = new ArrayList<>();

  public RemovalPhase getPhase() {
    return phase;
  }

  public void setPhase(RemovalPhase phase) {
    this.phase = phase;
  }

  public NodeFailureReason getReason() {
    return reason;
  }

  public void setReason(NodeFailureReason reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getEngine() {
    return engine;
  }

  public void setEngine(String engine) {
    this.engine = engine;
  }

  public List<ImageResult> getResults() {
    return results;
  }

  public void setResults(List<ImageResult> results) {
    this.results = results;
  }

  /** Copies phase, reason, message, engine and results (a phase left unset reads as Pending). */
  public void copyRunStateFrom(NodeRunState other) {
    phase = other.phase == null ? RemovalPhase.Pending : other.phase;
    reason = other.reason;
    message = other.message;
    engine = other.engine;
    results = other.results == null ? new ArrayList<>() : other.results;
  }
}
