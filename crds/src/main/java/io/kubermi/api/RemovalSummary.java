package io.kubermi.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Counts over every targeted node. */
public class RemovalSummary {
  @JsonPropertyDescription("Nodes targeted by this generation.")
  private int nodesTotal;

  @JsonPropertyDescription("Nodes whose agent finished without conflict or error.")
  private int nodesSucceeded;

  @JsonPropertyDescription("Nodes that failed (see nodes[].reason).")
  private int nodesFailed;

  @JsonPropertyDescription("Nodes not finished yet (Pending or Running).")
  private int nodesPending;

  @JsonPropertyDescription(
      "Nodes the spec targeted that the operator's node exclusion kept out (not in nodesTotal).")
  private int nodesExcluded;

  @JsonPropertyDescription("References untagged, over all nodes.")
  private long untagged;

  @JsonPropertyDescription("Images and layers deleted, over all nodes.")
  private long deleted;

  @JsonPropertyDescription("Conflict and Protected results, over all nodes.")
  private long conflicts;

  @JsonPropertyDescription("Error results, over all nodes.")
  private long errors;

  @JsonPropertyDescription(
      "NotFound results, over all nodes: images named that a node did not have (not a failure).")
  private long notFound;

  @JsonPropertyDescription(
      "Bytes freed over all nodes (the sum of the NodeImageRemovals' status.reclaimedBytes).")
  private long reclaimedBytes;

  public int getNodesTotal() {
    return nodesTotal;
  }

  public void setNodesTotal(int nodesTotal) {
    this.nodesTotal = nodesTotal;
  }

  public int getNodesSucceeded() {
    return nodesSucceeded;
  }

  public void setNodesSucceeded(int nodesSucceeded) {
    this.nodesSucceeded = nodesSucceeded;
  }

  public int getNodesFailed() {
    return nodesFailed;
  }

  public void setNodesFailed(int nodesFailed) {
    this.nodesFailed = nodesFailed;
  }

  public int getNodesPending() {
    return nodesPending;
  }

  public void setNodesPending(int nodesPending) {
    this.nodesPending = nodesPending;
  }

  public int getNodesExcluded() {
    return nodesExcluded;
  }

  public void setNodesExcluded(int nodesExcluded) {
    this.nodesExcluded = nodesExcluded;
  }

  public long getUntagged() {
    return untagged;
  }

  public void setUntagged(long untagged) {
    this.untagged = untagged;
  }

  public long getDeleted() {
    return deleted;
  }

  public void setDeleted(long deleted) {
    this.deleted = deleted;
  }

  public long getConflicts() {
    return conflicts;
  }

  public void setConflicts(long conflicts) {
    this.conflicts = conflicts;
  }

  public long getErrors() {
    return errors;
  }

  public void setErrors(long errors) {
    this.errors = errors;
  }

  public long getNotFound() {
    return notFound;
  }

  public void setNotFound(long notFound) {
    this.notFound = notFound;
  }

  public long getReclaimedBytes() {
    return reclaimedBytes;
  }

  public void setReclaimedBytes(long reclaimedBytes) {
    this.reclaimedBytes = reclaimedBytes;
  }
}
