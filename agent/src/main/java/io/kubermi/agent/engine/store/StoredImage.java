package io.kubermi.agent.engine.store;

import java.util.List;

/**
 * An image as the rules see it: its ID ({@code sha256:...}), its parent's ID (docker commit/build;
 * null when none), its layer chain IDs from bottom to top, and its size in bytes.
 */
public record StoredImage(String id, String parentId, List<String> chainIds, long size) {
  public StoredImage {
    chainIds = List.copyOf(chainIds);
  }

  /** The top layer the image holds a reference on; null for an image without layers. */
  public String topLayer() {
    return chainIds.isEmpty() ? null : chainIds.get(chainIds.size() - 1);
  }
}
