package io.kubermi.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Written only by the agent of spec.nodeName; each write replaces the whole status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeImageRemovalStatus extends NodeRunState {
  @JsonPropertyDescription("When the agent started (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When the agent finished (RFC 3339).")
  private String finishedAt;

  @JsonPropertyDescription("The metadata.generation of this object that the results describe.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Bytes freed on this node by this run: the deleted layers (Docker: uncompressed sizes from the image history; containerd: snapshot disk usage plus the content blobs garbage collection removed).")
  private Long reclaimedBytes;

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getFinishedAt() {
    return finishedAt;
  }

  public void setFinishedAt(String finishedAt) {
    this.finishedAt = finishedAt;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Long getReclaimedBytes() {
    return reclaimedBytes;
  }

  public void setReclaimedBytes(Long reclaimedBytes) {
    this.reclaimedBytes = reclaimedBytes;
  }
}
