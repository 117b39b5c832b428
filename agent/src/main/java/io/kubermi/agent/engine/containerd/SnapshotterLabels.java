package io.kubermi.agent.engine.containerd;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which snapshotter a containerd unpacks its images into, read from its content store: unpacking
 * labels an image's config {@code containerd.io/gc.ref.snapshot.<snapshotter>=<top layer>}, so the
 * name most configs carry is the kubelet's snapshotter, whatever containerd's configuration file
 * says (which the agent does not mount).
 */
final class SnapshotterLabels {
  private SnapshotterLabels() {}

  static Optional<String> mostUsed(Collection<GcLabels.Blob> blobs) {
    Map<String, Integer> counts = new HashMap<>();
    for (GcLabels.Blob blob : blobs) {
      for (String key : blob.labels().keySet()) {
        if (key.startsWith(GcLabels.SNAPSHOT_PREFIX)) {
          counts.merge(key.substring(GcLabels.SNAPSHOT_PREFIX.length()), 1, Integer::sum);
        }
      }
    }
    return counts.entrySet().stream()
        .max(
            Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue)
                .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
        .map(Map.Entry::getKey);
  }
}
