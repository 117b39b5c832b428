package io.kubermi.agent.engine.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An image as the rules see it: its ID ({@code sha256:...}), its parent's ID (docker commit/build;
 * null when none), its layer chain IDs from bottom to top, its size in bytes, and what docker image
 * prune filters on: when it was created (null when the config has no time) and its config's labels.
 */
public record StoredImage(
    String id,
    String parentId,
    List<String> chainIds,
    long size,
    Instant created,
    Map<String, String> labels) {
  public StoredImage {
    chainIds = List.copyOf(chainIds);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** An image without a creation time or labels (what rmi's rules alone need). */
  public StoredImage(String id, String parentId, List<String> chainIds, long size) {
    this(id, parentId, chainIds, size, null, Map.of());
  }

  /** The top layer the image holds a reference on; null for an image without layers. */
  public String topLayer() {
    return chainIds.isEmpty() ? null : chainIds.get(chainIds.size() - 1);
  }
}
