package io.kubermi.agent.engine.containerd;

import io.kubermi.agent.engine.GroupExecutor;
import io.kubermi.agent.engine.rules.LayerSizes;
import io.kubermi.agent.engine.rules.RmiItem;
import io.kubermi.agent.engine.rules.RmiResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The space a removal may free on containerd, measured before it runs (afterwards the blobs and
 * snapshots are gone): the blobs of the images it deletes and the disk usage of the layer snapshots
 * it plans to delete. After the removal, only what really disappeared counts.
 */
final class FreedSpace {
  private final Map<String, Long> blobSizes;

  private FreedSpace(Map<String, Long> blobSizes) {
    this.blobSizes = blobSizes;
  }

  /**
   * The blobs of the images an argument deletes, with their sizes.
   *
   * @param contentSizes the content store's blobs and sizes, listed before anything is removed
   */
  static FreedSpace before(
      ContainerdState state, Set<String> removedImages, Map<String, Long> contentSizes) {
    Map<String, Long> blobs = new HashMap<>();
    for (String id : removedImages) {
      for (String blob : state.blobsByImage().getOrDefault(id, Set.of())) {
        Long size = contentSizes.get(blob);
        if (size != null) blobs.put(blob, size);
      }
    }
    return new FreedSpace(blobs);
  }

  /**
   * What carrying out each of these plans in order (a dry run's) would free, counted as a real
   * removal counts it: the disk usage of the layer snapshots it deletes, and the blobs of the
   * images it deletes that no image left after it would still reach (garbage collection keeps
   * those). A blob or layer is counted once, for the plan that frees it; the sum is what the whole
   * removal frees.
   */
  static List<Long> predictedEach(
      ContainerdClient client, String snapshotter, ContainerdState state, List<RmiResponse> plans) {
    List<Set<String>> layersOf = new ArrayList<>();
    List<Set<String>> imagesOf = new ArrayList<>();
    Set<String> allLayers = new LinkedHashSet<>();
    Set<String> removedImages = new HashSet<>();
    for (RmiResponse plan : plans) {
      Set<String> layers = plannedLayers(plan, state);
      Set<String> images = new LinkedHashSet<>();
      for (RmiItem item : plan.items()) {
        if (item.kind() == RmiItem.Kind.DELETED && state.namesByImage().containsKey(item.value())) {
          images.add(item.value());
        }
      }
      layersOf.add(layers);
      imagesOf.add(images);
      allLayers.addAll(layers);
      removedImages.addAll(images);
    }
    Map<String, Long> usage = layerUsage(client, snapshotter, allLayers);
    Set<String> stillReached = new HashSet<>();
    state
        .blobsByImage()
        .forEach(
            (image, blobs) -> {
              if (!removedImages.contains(image)) stillReached.addAll(blobs);
            });
    Map<String, Long> contentSizes = removedImages.isEmpty() ? Map.of() : client.contentSizes();
    Set<String> counted = new HashSet<>();
    List<Long> each = new ArrayList<>(plans.size());
    for (int i = 0; i < plans.size(); i++) {
      long bytes = 0;
      for (String layer : layersOf.get(i)) {
        if (counted.add("layer:" + layer)) bytes += usage.getOrDefault(layer, 0L);
      }
      for (String image : imagesOf.get(i)) {
        for (String blob : state.blobsByImage().getOrDefault(image, Set.of())) {
          Long size = contentSizes.get(blob);
          if (size != null && !stillReached.contains(blob) && counted.add(blob)) bytes += size;
        }
      }
      each.add(bytes);
    }
    return each;
  }

  /**
   * The disk usage of these layer snapshots, read {@value ContainerdSnapshot#READERS} at a time:
   * one round trip each, and a batch plans as many layers as images.
   */
  static Map<String, Long> layerUsage(
      ContainerdClient client, String snapshotter, Collection<String> layers) {
    return GroupExecutor.readAll(
        layers,
        ContainerdSnapshot.READERS,
        layer -> Math.max(0, client.snapshotUsage(snapshotter, layer)));
  }

  /**
   * The layers a plan deletes that the store holds as snapshots: what {@link #layerUsage} reads.
   */
  static Set<String> plannedLayers(RmiResponse plan, ContainerdState state) {
    Set<String> layers = new LinkedHashSet<>();
    for (RmiItem item : plan.items()) {
      if (item.kind() == RmiItem.Kind.DELETED && state.snapshots().contains(item.value())) {
        layers.add(item.value());
      }
    }
    return layers;
  }

  /**
   * Bytes of the layers the confirmed result deletes (by {@code layerUsage}), plus the blobs no
   * longer in the content store.
   */
  long after(Set<String> contentNow, RmiResponse confirmed, Map<String, Long> layerUsage) {
    long freed = LayerSizes.freedBy(confirmed, layerUsage);
    for (Map.Entry<String, Long> blob : blobSizes.entrySet()) {
      if (!contentNow.contains(blob.getKey())) freed += blob.getValue();
    }
    return freed;
  }
}
