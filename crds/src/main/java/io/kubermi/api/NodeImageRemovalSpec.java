package io.kubermi.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** One node's copy of an ImageRemoval's parameters, written by the operator. */
@ValidationRule(
    value = KubeRmi.ONE_OF_IMAGES_PRUNE_RULE,
    message = KubeRmi.ONE_OF_IMAGES_PRUNE_MESSAGE)
public class NodeImageRemovalSpec extends RemovalParameters {
  @Required
  @JsonPropertyDescription("The node whose agent executes this removal.")
  private String nodeName;

  @Required
  @JsonPropertyDescription("The parent ImageRemoval's metadata.generation this run belongs to.")
  private Long removalGeneration;

  public String getNodeName() {
    return nodeName;
  }

  public void setNodeName(String nodeName) {
    this.nodeName = nodeName;
  }

  public Long getRemovalGeneration() {
    return removalGeneration;
  }

  public void setRemovalGeneration(Long removalGeneration) {
    this.removalGeneration = removalGeneration;
  }
}
