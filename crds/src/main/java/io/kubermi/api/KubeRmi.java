package io.kubermi.api;

import java.time.Duration;

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

  /**
   * Serialized bytes of results a node's status lists; the rest are counted (etcd holds an object
   * of at most 1.5 MiB, and a prune can touch thousands of images).
   */
  public static final int NODE_RESULTS_BYTES = 128 * 1024;

  public static final int MAX_IMAGES = 256;
  public static final int MAX_PRUNE_FILTERS = 64;

  /**
   * Bounds of the other lists and strings of the specs (docs/api.md, "Limits"): every field has
   * one, in the CRD schema and in the validator, so no object can make the operator or an agent
   * work without end.
   */
  public static final int MAX_PLATFORMS = 16;

  public static final int MAX_NODE_NAMES = 1000;
  public static final int MAX_SELECTOR_TERMS = 64;
  public static final int MAX_SELECTOR_VALUES = 64;
  public static final int GLOB_MAX_LENGTH = 512;
  public static final int LABEL_FILTER_MAX_LENGTH = 320;
  public static final int UNTIL_MAX_LENGTH = 64;

  /** The most images a prune's keepNewest keeps per repository. */
  public static final int KEEP_NEWEST_MAX = 10_000;

  /** The longest text of a quantity of bytes (imageBytes.high and low). */
  public static final int QUANTITY_MAX_LENGTH = 32;

  /** The shortest and longest a prune's unusedFor may be. */
  public static final Duration UNUSED_FOR_MIN = Duration.ofMinutes(1);

  public static final Duration UNUSED_FOR_MAX = Duration.ofHours(87_600);

  public static final int SCHEDULE_MAX_LENGTH = 128;
  public static final int TIME_ZONE_MAX_LENGTH = 64;

  /** The rule, in the CRD schema, that bounds a node selector's terms. */
  public static final String SELECTOR_SIZE_RULE =
      "(!has(self.matchLabels) || size(self.matchLabels) <= 64)"
          + " && (!has(self.matchExpressions) || size(self.matchExpressions) <= 64)";

  public static final String SELECTOR_SIZE_MESSAGE =
      "a node selector has at most 64 matchLabels and 64 matchExpressions";

  /** The rule, in the CRD schema, that an ImageRemoval names images or prunes, never both. */
  public static final String ONE_OF_IMAGES_PRUNE_RULE = "has(self.images) != has(self.prune)";

  public static final String ONE_OF_IMAGES_PRUNE_MESSAGE =
      "exactly one of spec.images and spec.prune must be set";

  private KubeRmi() {}
}
