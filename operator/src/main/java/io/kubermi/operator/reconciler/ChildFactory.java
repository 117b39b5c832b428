package io.kubermi.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeImageRemovalSpec;
import io.kubermi.api.NodeLabel;
import io.kubermi.operator.status.StatusAggregator;
import java.util.Map;

/** The NodeImageRemoval an ImageRemoval wants on one node. */
final class ChildFactory {
  private ChildFactory() {}

  static NodeImageRemoval desired(ImageRemoval parent, String node) {
    NodeImageRemoval child = new NodeImageRemoval();
    child.setMetadata(
        new ObjectMetaBuilder()
            .withName(NodeLabel.childName(parent.getMetadata().getName(), node))
            .withLabels(
                Map.of(
                    KubeRmi.LABEL_REMOVAL,
                    NodeLabel.value(parent.getMetadata().getName()),
                    KubeRmi.LABEL_NODE,
                    NodeLabel.value(node)))
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(KubeRmi.API_VERSION)
                    .withKind("ImageRemoval")
                    .withName(parent.getMetadata().getName())
                    .withUid(parent.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build())
            .build());
    child.setSpec(spec(parent, node));
    return child;
  }

  /**
   * The same child under a name nobody could have taken before the removal existed: its name with
   * the removal's UID, for when an object that is not the removal's holds the usual one.
   */
  static NodeImageRemoval renamedAfterUid(NodeImageRemoval desired, ImageRemoval parent) {
    String name = desired.getMetadata().getName();
    String uid = parent.getMetadata().getUid().replace("-", "");
    String suffix = "-" + uid.substring(0, Math.min(12, uid.length()));
    desired
        .getMetadata()
        .setName(name.substring(0, Math.min(name.length(), 253 - suffix.length())) + suffix);
    return desired;
  }

  /** Whether the child is owned (as controller) by this very removal, not an earlier namesake. */
  static boolean isChildOf(NodeImageRemoval child, ImageRemoval parent) {
    // A loop, not a stream: the operator asks this of every cached child on a removal's events.
    String uid = parent.getMetadata().getUid();
    for (OwnerReference o : child.getMetadata().getOwnerReferences()) {
      if (Boolean.TRUE.equals(o.getController()) && o.getUid().equals(uid)) return true;
    }
    return false;
  }

  static NodeImageRemovalSpec spec(ImageRemoval parent, String node) {
    NodeImageRemovalSpec spec = new NodeImageRemovalSpec();
    spec.setNodeName(node);
    spec.setRemovalGeneration(StatusAggregator.generationOf(parent));
    spec.copyParametersFrom(parent.getSpec());
    return spec;
  }
}
