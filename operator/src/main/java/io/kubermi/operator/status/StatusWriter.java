package io.kubermi.operator.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalStatus;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Writes ImageRemoval statuses with optimistic concurrency. Each write carries the resourceVersion
 * its status was computed from; when the object moved on meanwhile (409), the status is computed
 * again from the object as it is now and written again, so nothing another writer put there is
 * lost. The writer also remembers its own last write per object: JOSDK's cache may not have seen it
 * when the next event arrives, and computing from a status older than one's own last write would
 * undo it.
 */
public final class StatusWriter {
  static final int MAX_ATTEMPTS = 5;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StatusStore store;
  private final Map<String, ImageRemoval> ownWrites = new ConcurrentHashMap<>();

  public StatusWriter(StatusStore store) {
    this.store = store;
  }

  /**
   * What a write did: the status it replaced and the one now stored (equal when nothing changed).
   */
  public record Written(ImageRemovalStatus previous, ImageRemovalStatus status, boolean changed) {}

  /**
   * The object to compute from: the cache's copy, or this writer's own later write of it when the
   * cache has not caught up (same uid, another resourceVersion).
   */
  public ImageRemoval newest(ImageRemoval cached) {
    ImageRemoval own = ownWrites.get(cached.getMetadata().getUid());
    if (own == null) return cached;
    if (Objects.equals(
        own.getMetadata().getResourceVersion(), cached.getMetadata().getResourceVersion())) {
      ownWrites.remove(cached.getMetadata().getUid());
      return cached;
    }
    ImageRemoval merged = new ImageRemoval();
    merged.setMetadata(
        new ObjectMetaBuilder(cached.getMetadata())
            .withResourceVersion(own.getMetadata().getResourceVersion())
            .build());
    merged.setSpec(cached.getSpec());
    merged.setStatus(own.getStatus());
    return merged;
  }

  /**
   * Computes the status from {@code base} and writes it when it differs from what base holds; on a
   * lost race, reads the object again and computes again (at most {@value #MAX_ATTEMPTS} times).
   * Returns null when the object is gone.
   */
  public Written write(ImageRemoval base, Function<ImageRemoval, ImageRemovalStatus> compute) {
    ImageRemoval current = base;
    for (int attempt = 1; ; attempt++) {
      ImageRemovalStatus status = compute.apply(current);
      if (sameJson(status, current.getStatus())) {
        return new Written(current.getStatus(), status, false);
      }
      try {
        ImageRemoval stored =
            store.writeStatus(
                current.getMetadata().getName(),
                current.getMetadata().getResourceVersion(),
                status);
        ownWrites.put(current.getMetadata().getUid(), stored);
        return new Written(current.getStatus(), status, true);
      } catch (StatusStore.StaleVersion e) {
        if (attempt == MAX_ATTEMPTS) throw e;
        current = store.get(current.getMetadata().getName());
        if (current == null) return null;
      }
    }
  }

  /** Forgets an object this writer will not write again (deleted). */
  public void forget(String uid) {
    ownWrites.remove(uid);
  }

  private static boolean sameJson(ImageRemovalStatus a, ImageRemovalStatus b) {
    return b != null && JSON.valueToTree(a).equals(JSON.valueToTree(b));
  }
}
