package io.kubermi.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.kubermi.api.reference.ReferenceGrammar;
import java.util.ArrayList;
import java.util.List;

/** What to remove, how, and on which nodes. */
@ValidationRule(
    value = KubeRmi.ONE_OF_IMAGES_PRUNE_RULE,
    message = KubeRmi.ONE_OF_IMAGES_PRUNE_MESSAGE)
public class ImageRemovalSpec extends RemovalParameters {
  @ValidationRule(value = KubeRmi.SELECTOR_SIZE_RULE, message = KubeRmi.SELECTOR_SIZE_MESSAGE)
  @JsonPropertyDescription(
      "Nodes whose labels match; with neither nodeSelector nor nodeNames, every node.")
  private LabelSelector nodeSelector;

  @Size(max = KubeRmi.MAX_NODE_NAMES)
  @JsonPropertyDescription("Explicit node names, in addition to the nodes nodeSelector matches.")
  private List<
          @Pattern(ReferenceGrammar.NODE_NAME) @Size(max = ReferenceGrammar.NODE_NAME_MAX_LENGTH)
          String>
      nodeNames = new ArrayList<>();

  @Min(1)
  @Max(KubeRmi.MAX_NODE_TIMEOUT_SECONDS)
  @Default("300")
  @JsonPropertyDescription(
      "A node whose agent has not finished this many seconds after the run started is Failed (Timeout or AgentUnavailable).")
  private Integer nodeTimeoutSeconds;

  @Min(0)
  @JsonPropertyDescription(
      "Delete the ImageRemoval and its NodeImageRemovals this many seconds after it finished, like a Job.")
  private Integer ttlSecondsAfterFinished;

  @JsonPropertyDescription(
      "How many targeted nodes may fail while the ImageRemoval still counts as Succeeded: a count"
          + " (e.g. 2) or a percentage of the targeted nodes, rounded down (e.g. \"5%\"). Default 0."
          + " Failed nodes stay listed with their reasons.")
  private IntOrString maxFailedNodes;

  public IntOrString getMaxFailedNodes() {
    return maxFailedNodes;
  }

  public void setMaxFailedNodes(IntOrString maxFailedNodes) {
    this.maxFailedNodes = maxFailedNodes;
  }

  public LabelSelector getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(LabelSelector nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<String> getNodeNames() {
    return nodeNames;
  }

  public void setNodeNames(List<String> nodeNames) {
    this.nodeNames = nodeNames;
  }

  public Integer getNodeTimeoutSeconds() {
    return nodeTimeoutSeconds;
  }

  public void setNodeTimeoutSeconds(Integer nodeTimeoutSeconds) {
    this.nodeTimeoutSeconds = nodeTimeoutSeconds;
  }

  public Integer getTtlSecondsAfterFinished() {
    return ttlSecondsAfterFinished;
  }

  public void setTtlSecondsAfterFinished(Integer ttlSecondsAfterFinished) {
    this.ttlSecondsAfterFinished = ttlSecondsAfterFinished;
  }

  /** The timeout in force: the declared one, or the default the API server would have filled in. */
  public int effectiveNodeTimeoutSeconds() {
    return nodeTimeoutSeconds == null ? KubeRmi.DEFAULT_NODE_TIMEOUT_SECONDS : nodeTimeoutSeconds;
  }
}
