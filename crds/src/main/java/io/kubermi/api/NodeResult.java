package io.kubermi.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** One node's part of an ImageRemoval, as shown in the parent's status. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class NodeResult {
  @JsonPropertyDescription("The node's name.")
  private String name;

  @JsonPropertyDescription("Pending, Running, Succeeded or Failed.")
  private RemovalPhase phase;

  @JsonPropertyDescription("Why the node Failed: Conflict, EngineError, AgentUnavailable, Timeout, NodeGone or InvalidSpec.")
  private NodeFailureReason reason;

  @JsonPropertyDescription("A human-readable explanation of the reason.")
  private String message;

  @JsonPropertyDescription("The node's container engine and version, e.g. 'docker 20.10.24' or 'containerd 1.7.27'.")
  private String engine;

  @JsonPropertyDescription("True when the results say what would happen; nothing was changed.")
  private Boolean dryRun;

  @JsonPropertyDescription("One result per entry of spec.images, in order.")
  private List<ImageResult> results = new ArrayList<>();

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public RemovalPhase getPhase() { return phase; }
  public void setPhase(RemovalPhase phase) { this.phase = phase; }
  public NodeFailureReason getReason() { return reason; }
  public void setReason(NodeFailureReason reason) { this.reason = reason; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public String getEngine() { return engine; }
  public void setEngine(String engine) { this.engine = engine; }
  public Boolean getDryRun() { return dryRun; }
  public void setDryRun(Boolean dryRun) { this.dryRun = dryRun; }
  public List<ImageResult> getResults() { return results; }
  public void setResults(List<ImageResult> results) { this.results = results; }
}
