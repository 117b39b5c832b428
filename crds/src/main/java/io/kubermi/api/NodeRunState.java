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

  @JsonPropertyDescription(
      "One result per entry of spec.images (or per image pruned), in order; the list stops at 128"
          + " KiB of results, the rest counted in resultsOmitted and written in the agent's log.")
  private List<ImageResult> results = new ArrayList<>();

  @JsonPropertyDescription(
      "Results left out of the results list to keep the object small; resultCounts counts them.")
  private Integer resultsOmitted;

  @JsonPropertyDescription("Counts over all results, listed or omitted.")
  private ResultCounts resultCounts;

  @JsonPropertyDescription(
      "With spec.prune.imageBytes: the bytes the node's engine kept for its images before and after"
          + " the run, and whether they were above the high mark.")
  private ImageBytesReport imageBytes;

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

  public Integer getResultsOmitted() {
    return resultsOmitted;
  }

  public void setResultsOmitted(Integer resultsOmitted) {
    this.resultsOmitted = resultsOmitted;
  }

  public ResultCounts getResultCounts() {
    return resultCounts;
  }

  public void setResultCounts(ResultCounts resultCounts) {
    this.resultCounts = resultCounts;
  }

  /**
   * Copies phase, reason, message, engine, results and their counts, and the image bytes around a
   * prune with thresholds (a phase left unset reads as Pending).
   */
  public ImageBytesReport getImageBytes() {
    return imageBytes;
  }

  public void setImageBytes(ImageBytesReport imageBytes) {
    this.imageBytes = imageBytes;
  }

  public void copyRunStateFrom(NodeRunState other) {
    phase = other.phase == null ? RemovalPhase.Pending : other.phase;
    reason = other.reason;
    message = other.message;
    engine = other.engine;
    results = other.results == null ? new ArrayList<>() : other.results;
    resultsOmitted = other.resultsOmitted;
    resultCounts = other.resultCounts;
    imageBytes = other.imageBytes;
  }
}
