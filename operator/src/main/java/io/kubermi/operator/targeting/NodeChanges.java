package io.kubermi.operator.targeting;

import io.fabric8.kubernetes.api.model.Node;
import java.util.Map;
import java.util.Objects;

/**
 * Which Node updates can change what an ImageRemoval targets: only a change of labels (the
 * selector's input). The kubelet updates every Node's status every few seconds (heartbeats,
 * conditions, images); none of that matters to targeting, so none of it wakes a removal. A Node
 * added or deleted always matters.
 */
public final class NodeChanges {
  private NodeChanges() {}

  public static boolean affectTargeting(Node newer, Node older) {
    return !Objects.equals(labels(newer), labels(older));
  }

  private static Map<String, String> labels(Node n) {
    Map<String, String> l = n.getMetadata() == null ? null : n.getMetadata().getLabels();
    return l == null ? Map.of() : l;
  }
}
