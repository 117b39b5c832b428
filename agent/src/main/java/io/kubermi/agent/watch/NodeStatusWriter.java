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
    client
        .resources(NodeImageRemoval.class)
        .withName(o.getMetadata().getName())
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON), JsonPatch.set("/status", status));
  }
}
