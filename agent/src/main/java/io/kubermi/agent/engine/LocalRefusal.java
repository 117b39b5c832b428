package io.kubermi.agent.engine;

import io.kubermi.agent.engine.rules.RmiPlanner;
import io.kubermi.agent.engine.rules.RmiResponse;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredContainer;
import io.kubermi.api.validation.ImageReferenceRule;
import java.util.Optional;
import java.util.Set;

/**
 * What every engine answers without touching the image store: malformed names and protected images.
 */
public final class LocalRefusal {
  private LocalRefusal() {}

  /**
   * The answer for a string that is not a reference (the daemon's own words, from the planner), or
   * null when it is one. Such a string is never sent anywhere: it must not shape a request.
   */
  public static RmiResponse malformed(String ref) {
    if (ImageReferenceRule.check(ref) == null) {
      return null;
    }
    RmiResponse answer = new RmiPlanner(new ImageStoreModel()).resolve(ref).error();
    return answer != null ? answer : RmiResponse.error(400, "invalid reference format");
  }

  /**
   * Protected when the reference names, in this store, an image that is pinned (the runtime's
   * sandbox image), used by a container of a pod in a protected namespace (running or exited), or
   * matching the protected list; otherwise null.
   */
  public static RmiResponse protectedImage(
      String ref, ImageStoreModel model, ProtectedImages protectedImages, Set<String> pinned) {
    String id = new RmiPlanner(model).resolve(ref).imageId();
    if (id == null) {
      return null;
    }
    if (pinned.contains(id)) {
      return RmiResponse.error(
          403,
          "image \""
              + ref
              + "\" is pinned by the container runtime (a sandbox image) and is never removed");
    }
    Optional<StoredContainer> system = protectedImages.systemContainerOf(id, model);
    if (system.isPresent()) {
      return RmiResponse.error(403, ProtectedImages.systemMessage(ref, system.get()));
    }
    return protectedImages
        .match(id, model.referencesOf(id))
        .map(p -> RmiResponse.error(403, ProtectedImages.message(ref, p)))
        .orElse(null);
  }
}
