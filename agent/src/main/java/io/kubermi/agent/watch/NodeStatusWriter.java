package io.kubermi.agent.watch;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
 *
 * <p>Each patch carries the resourceVersion this writer last saw the object at. A write abandoned
 * without an answer may still reach the API server after a newer status was written; it then finds
 * the object moved on and is refused (409) instead of putting older results over newer ones. A
 * refused write learns the object's current version, and the publisher's retry writes the newest
 * status on it.
 */
final class NodeStatusWriter implements StatusPublisher.StatusSink {
  private final KubernetesClient client;

  /** The object this writer last wrote or read, by name, and the version it was left at. */
  private volatile Version last = new Version("", null);

  private record Version(String name, String resourceVersion) {}

  NodeStatusWriter(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void write(NodeImageRemoval o, NodeImageRemovalStatus status) {
    String name = o.getMetadata().getName();
    Version known = last;
    String version =
        known.name().equals(name) ? known.resourceVersion() : o.getMetadata().getResourceVersion();
    try {
      // By the object, not by its name: fabric8 patches a resource named only by name after a GET
      // of it, a second request per write that a JSON patch does not need.
      NodeImageRemoval written =
          client
              .resources(NodeImageRemoval.class)
              .resource(reference(name))
              .subresource("status")
              .patch(PatchContext.of(PatchType.JSON), patch(version, status));
      last = new Version(name, written.getMetadata().getResourceVersion());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) learnCurrentVersion(name);
      throw e;
    }
  }

  private static String patch(String version, NodeImageRemovalStatus status) {
    // Only an object built without a version (none from the API server is) goes unconditioned.
    return version == null
        ? JsonPatch.set("/status", status)
        : JsonPatch.setIfAt(version, "/status", status);
  }

  /** One read, only after a refused write: someone else (or an abandoned write) moved it on. */
  private void learnCurrentVersion(String name) {
    NodeImageRemoval now = client.resources(NodeImageRemoval.class).withName(name).get();
    if (now == null) throw new KubernetesClientException(name + " is gone", 404, null);
    last = new Version(name, now.getMetadata().getResourceVersion());
  }

  /** The object's name alone: all a patch's URL needs, and cheap for the client to copy. */
  private static NodeImageRemoval reference(String name) {
    NodeImageRemoval ref = new NodeImageRemoval();
    ref.getMetadata().setName(name);
    return ref;
  }
}
