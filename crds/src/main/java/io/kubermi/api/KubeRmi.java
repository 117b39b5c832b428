package io.kubermi.api;

/**
 * Names shared by the operator, the agent and the CRDs: the API group, label keys, condition types.
 */
public final class KubeRmi {
  public static final String GROUP = "kube-rmi.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** Label on a NodeImageRemoval naming its parent ImageRemoval. */
  public static final String LABEL_REMOVAL = GROUP + "/removal";

  /** Label on a NodeImageRemoval naming the node whose agent executes it. */
  public static final String LABEL_NODE = GROUP + "/node";

  /** Label on an ImageRemoval naming the ImageRemovalSchedule whose run it is. */
  public static final String LABEL_SCHEDULE = GROUP + "/schedule";

  public static final String CONDITION_READY = "Ready";
  public static final String CONDITION_RECONCILING = "Reconciling";
  public static final String CONDITION_STALLED = "Stalled";

  /** Defaults that the CRD schema declares and the operator applies when the API server did not. */
  public static final int DEFAULT_NODE_TIMEOUT_SECONDS = 300;

  public static final int MAX_NODE_TIMEOUT_SECONDS = 86400;
  public static final int MAX_IMAGES = 256;
  public static final int MAX_PRUNE_FILTERS = 64;

  /** The rule, in the CRD schema, that an ImageRemoval names images or prunes, never both. */
  public static final String ONE_OF_IMAGES_PRUNE_RULE = "has(self.images) != has(self.prune)";

  public static final String ONE_OF_IMAGES_PRUNE_MESSAGE =
      "exactly one of spec.images and spec.prune must be set";

  private KubeRmi() {}
}
