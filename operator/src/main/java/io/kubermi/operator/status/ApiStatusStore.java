package io.kubermi.operator.status;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalStatus;
import io.kubermi.runtime.JsonPatch;

/**
 * Statuses on the API server: one JSON patch that sets the whole status and carries the
 * resourceVersion it was computed from, so a write that lost a race is answered 409 (on the API
 * server and on the test server alike) instead of overwriting what it did not see.
 */
public final class ApiStatusStore implements StatusStore {
  private final KubernetesClient client;

  public ApiStatusStore(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public ImageRemoval get(String name) {
    return client.resources(ImageRemoval.class).withName(name).get();
  }

  @Override
  public ImageRemoval writeStatus(String name, String resourceVersion, ImageRemovalStatus status) {
    try {
      // By the object, not by its name: fabric8 patches a resource named only by name after a GET
      // of it, a second request per write that a JSON patch does not need.
      return client
          .resources(ImageRemoval.class)
          .resource(named(name))
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON),
              JsonPatch.setIfAt(resourceVersion, "/status", status));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409)
        throw new StaleVersion(name + " changed after resourceVersion " + resourceVersion, e);
      throw e;
    }
  }

  private static ImageRemoval named(String name) {
    ImageRemoval ref = new ImageRemoval();
    ref.getMetadata().setName(name);
    return ref;
  }
}
