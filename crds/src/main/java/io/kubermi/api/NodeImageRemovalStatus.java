package io.kubermi.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Written only by the agent of spec.nodeName. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeImageRemovalStatus {
  @JsonPropertyDescription("Pending, Running, Succeeded or Failed.")
  private RemovalPhase phase;

  @JsonPropertyDescription("Why it Failed: Conflict, EngineError or InvalidSpec.")
  private NodeFailureReason reason;

  @JsonPropertyDescription("A human-readable explanation of the reason.")
  private String message;

  @JsonPropertyDescription("The node's container engine and version.")
  private String engine;

  @JsonPropertyDescription("When the agent started (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When the agent finished (RFC 3339).")
  private String finishedAt;

  @JsonPropertyDescription("The metadata.generation of this object that the results describe.")
  private Long observedGeneration;

  @JsonPropertyDescription("Bytes freed on this node by this run: the deleted layers (Docker: uncompressed sizes from the image history; containerd: snapshot disk usage plus the content blobs garbage collection removed).")
  private Long reclaimedBytes;

  @JsonPropertyDescription("One result per entry of spec.images, in order.")
  private List<ImageResult> results = new ArrayList<>();

  public RemovalPhase getPhase() { return phase; }
  public void setPhase(RemovalPhase phase) { this.phase = phase; }
  public NodeFailureReason getReason() { return reason; }
  public void setReason(NodeFailureReason reason) { this.reason = reason; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public String getEngine() { return engine; }
  public void setEngine(String engine) { this.engine = engine; }
  public String getStartedAt() { return startedAt; }
  public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
  public String getFinishedAt() { return finishedAt; }
  public void setFinishedAt(String finishedAt) { this.finishedAt = finishedAt; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public Long getReclaimedBytes() { return reclaimedBytes; }
  public void setReclaimedBytes(Long reclaimedBytes) { this.reclaimedBytes = reclaimedBytes; }
  public List<ImageResult> getResults() { return results; }
  public void setResults(List<ImageResult> results) { this.results = results; }
}
