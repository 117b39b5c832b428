package io.kubermi.agent.engine.containerd;

import io.kubermi.agent.engine.rules.LayerSizes;
import io.kubermi.agent.engine.rules.RmiItem;
import io.kubermi.agent.engine.rules.RmiResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The space a removal may free on containerd, measured before it runs (afterwards the blobs and
 * snapshots are gone): the blobs of the images it deletes and the disk usage of the layer snapshots
 * it plans to delete. After the removal, only what really disappeared counts.
 */
final class FreedSpace {
  private final Map<String, Long> blobSizes;
  private final Map<String, Long> snapshotUsage;

  private FreedSpace(Map<String, Long> blobSizes, Map<String, Long> snapshotUsage) {
    this.blobSizes = blobSizes;
    this.snapshotUsage = snapshotUsage;
  }

  /**
   * @param contentSizes the content store's blobs and sizes, listed before anything is removed
   */
  static FreedSpace before(
      ContainerdClient client,
      String snapshotter,
      ContainerdState state,
      Set<String> removedImages,
      RmiResponse plan,
      Map<String, Long> contentSizes) {
    Map<String, Long> blobs = new HashMap<>();
    for (String id : removedImages) {
      for (String blob : state.blobsByImage().getOrDefault(id, Set.of())) {
        Long size = contentSizes.get(blob);
        if (size != null) blobs.put(blob, size);
      }
    }
    Map<String, Long> layers = new HashMap<>();
    for (RmiItem item : plan.items()) {
      if (item.kind() == RmiItem.Kind.DELETED && state.snapshots().contains(item.value())) {
        layers.put(item.value(), Math.max(0, client.snapshotUsage(snapshotter, item.value())));
      }
    }
    return new FreedSpace(blobs, layers);
  }

  /**
   * Bytes of the layers the confirmed result deletes, plus the blobs no longer in the content
   * store.
   */
  long after(Set<String> contentNow, RmiResponse confirmed) {
    long freed = LayerSizes.freedBy(confirmed, snapshotUsage);
    for (Map.Entry<String, Long> blob : blobSizes.entrySet()) {
      if (!contentNow.contains(blob.getKey())) freed += blob.getValue();
    }
    return freed;
  }
}
