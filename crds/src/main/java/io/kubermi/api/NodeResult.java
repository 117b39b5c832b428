package io.kubermi.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One node's part of an ImageRemoval, as shown in the parent's status. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class NodeResult extends NodeRunState {
  @JsonPropertyDescription("The node's name.")
  private String name;

  @JsonPropertyDescription("True when the results say what would happen; nothing was changed.")
  private Boolean dryRun;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Boolean getDryRun() {
    return dryRun;
  }

  public void setDryRun(Boolean dryRun) {
    this.dryRun = dryRun;
  }
}
