package io.kubermi.agent.watch;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeImageRemovalStatus;
import io.kubermi.runtime.JsonPatch;

/**
 * Writes a NodeImageRemoval's whole status as one RFC 6902 JSON patch. Not a merge patch: the API
 * server replaces lists in a merge patch, but fabric8's test server appends to them; a JSON patch
 * means the same on both, so the tests exercise exactly what runs in a cluster. The whole status
 * replaces the previous one, so nothing of an earlier run lingers.
 */
final class NodeStatusWriter implements StatusPublisher.StatusSink {
  private final KubernetesClient client;

  NodeStatusWriter(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void write(NodeImageRemoval o, NodeImageRemovalStatus status) {
    // By the object, not by its name: fabric8 patches a resource named only by name after a GET
    // of it, a second request per write that a JSON patch does not need.
    client
        .resources(NodeImageRemoval.class)
        .resource(reference(o))
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON), JsonPatch.set("/status", status));
  }

  /** The object's name alone: all a patch's URL needs, and cheap for the client to copy. */
  private static NodeImageRemoval reference(NodeImageRemoval o) {
    NodeImageRemoval ref = new NodeImageRemoval();
    ref.getMetadata().setName(o.getMetadata().getName());
    return ref;
  }
}
