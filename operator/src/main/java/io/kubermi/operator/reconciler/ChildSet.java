package io.kubermi.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeLabel;
import io.kubermi.runtime.JsonPatch;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An ImageRemoval's NodeImageRemovals, one per node: creates the missing ones, moves existing ones
 * to the current generation, deletes those of nodes no longer targeted. Tells the children informer
 * about its own writes, so the next reconcile sees them even before their events.
 */
final class ChildSet {
  private final KubernetesClient client;
  private final InformerEventSource<NodeImageRemoval, ImageRemoval> informer;

  ChildSet(KubernetesClient client, InformerEventSource<NodeImageRemoval, ImageRemoval> informer) {
    this.client = client;
    this.informer = informer;
  }

  static Map<String, NodeImageRemoval> byNode(Collection<NodeImageRemoval> children) {
    Map<String, NodeImageRemoval> byNode = new HashMap<>();
    for (NodeImageRemoval c : children) {
      byNode.put(c.getSpec().getNodeName(), c);
    }
    return byNode;
  }

  /** The node's child at the removal's current generation, created or updated as needed. */
  NodeImageRemoval ensure(ImageRemoval removal, String node, NodeImageRemoval existing) {
    NodeImageRemoval desired = ChildFactory.desired(removal, node);
    if (existing == null) {
      try {
        NodeImageRemoval created = client.resource(desired).create();
        informer.handleRecentResourceCreate(ResourceID.fromResource(created), created);
        return created;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) throw e;
        existing =
            client
                .resources(NodeImageRemoval.class)
                .withName(desired.getMetadata().getName())
                .get();
      }
    }
    if (Objects.equals(
        existing.getSpec().getRemovalGeneration(), desired.getSpec().getRemovalGeneration())) {
      return existing;
    }
    // A JSON patch setting the whole spec: the same on the API server and the test server (see
    // JsonPatch).
    NodeImageRemoval updated =
        client
            .resources(NodeImageRemoval.class)
            .withName(existing.getMetadata().getName())
            .patch(PatchContext.of(PatchType.JSON), JsonPatch.set("/spec", desired.getSpec()));
    informer.handleRecentResourceUpdate(ResourceID.fromResource(updated), updated, existing);
    return updated;
  }

  /**
   * The removal's children as the API server lists them now, not as the informer last heard: a
   * watch that missed events during an outage (the test server never replays them) is caught up.
   */
  Map<String, NodeImageRemoval> listedNow(ImageRemoval removal) {
    return byNode(
        client
            .resources(NodeImageRemoval.class)
            .withLabel(KubeRmi.LABEL_REMOVAL, NodeLabel.value(removal.getMetadata().getName()))
            .list()
            .getItems()
            .stream()
            .filter(c -> ChildFactory.isChildOf(c, removal))
            .toList());
  }

  /** Deletes the children whose node is not in {@code keep} (all of them when keep is empty). */
  void deleteExcept(Iterable<NodeImageRemoval> all, Set<String> keep) {
    for (NodeImageRemoval c : all) {
      if (!keep.contains(c.getSpec().getNodeName())) {
        client.resource(c).delete();
      }
    }
  }
}
