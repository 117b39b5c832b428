package io.kubermi.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed of the latest run, aggregated from the NodeImageRemovals. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageRemovalStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Pending, Running, Succeeded (every node succeeded) or Failed.")
  private RemovalPhase phase;

  @JsonPropertyDescription("When the run of observedGeneration started (RFC 3339).")
  private String startedAt;

  @JsonPropertyDescription("When the run of observedGeneration finished (RFC 3339).")
  private String finishedAt;

  @JsonPropertyDescription("Succeeded nodes out of targeted nodes, e.g. '3/4' (the Nodes column).")
  private String progress;

  @JsonPropertyDescription("kstatus conditions: Ready, Reconciling, Stalled.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Counts over all targeted nodes.")
  private RemovalSummary summary;

  @JsonPropertyDescription(
      "Per-node phase and results; failed nodes first when the list is capped (see nodesOmitted).")
  private List<NodeResult> nodes = new ArrayList<>();

  @JsonPropertyDescription(
      "Nodes left out of the nodes list to bound the status size; their NodeImageRemovals hold the detail.")
  private Integer nodesOmitted;

  @JsonPropertyDescription(
      "Nodes the spec targeted that the operator's node exclusion (set by the cluster's"
          + " administrator, e.g. control-plane nodes) kept out of the run; at most 100 listed,"
          + " summary.nodesExcluded counts them all.")
  private List<String> excludedNodes;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public RemovalPhase getPhase() {
    return phase;
  }

  public void setPhase(RemovalPhase phase) {
    this.phase = phase;
  }

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

  public String getProgress() {
    return progress;
  }

  public void setProgress(String progress) {
    this.progress = progress;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public RemovalSummary getSummary() {
    return summary;
  }

  public void setSummary(RemovalSummary summary) {
    this.summary = summary;
  }

  public List<NodeResult> getNodes() {
    return nodes;
  }

  public void setNodes(List<NodeResult> nodes) {
    this.nodes = nodes;
  }

  public Integer getNodesOmitted() {
    return nodesOmitted;
  }

  public void setNodesOmitted(Integer nodesOmitted) {
    this.nodesOmitted = nodesOmitted;
  }

  public List<String> getExcludedNodes() {
    return excludedNodes;
  }

  public void setExcludedNodes(List<String> excludedNodes) {
    this.excludedNodes = excludedNodes;
  }
}
