package io.kubermi.agent.engine.containerd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a single-platform image is, from the labels containerd keeps for its garbage collector
 * instead of from its manifest and config: the manifest's children ({@code
 * containerd.io/gc.ref.content.config}, {@code containerd.io/gc.ref.content.l.<i>}) and the
 * config's unpacked top layer ({@code containerd.io/gc.ref.snapshot.<snapshotter>}), whose chain
 * the snapshots' parents give (containerd's unpacker names each committed layer snapshot by its
 * chain ID, the ID a {@code Deleted:} line prints, which is what the blob path computes from the
 * config's diff IDs). Pulls, imports and the CRI set them; reading them is one listing for the
 * whole store where the blobs are two reads per image. The config's creation time and labels are
 * not among them: only prune's filters need those, and prune reads the configs.
 */
final class GcLabels {
  static final String CONFIG = "containerd.io/gc.ref.content.config";
  static final String LAYER_PREFIX = "containerd.io/gc.ref.content.l.";
  static final String SNAPSHOT_PREFIX = "containerd.io/gc.ref.snapshot.";

  /** A blob's size and labels, as the content store lists them. */
  record Blob(long size, Map<String, String> labels) {}

  /** The image of a manifest: its config digest (the ID), layer chain, size and blobs. */
  record Image(String configDigest, List<String> chain, long size, List<String> blobs) {}

  private GcLabels() {}

  /**
   * The image the manifest stands for, or null when any label, blob or snapshot it needs is missing
   * (content written without the labels, an image not unpacked, layers discarded after unpacking):
   * then the caller reads the blobs.
   */
  static Image resolve(
      String manifestDigest,
      Map<String, Blob> content,
      String snapshotter,
      Map<String, String> parentOfSnapshot) {
    Blob manifest = content.get(manifestDigest);
    if (manifest == null) return null;
    String configDigest = manifest.labels().get(CONFIG);
    Blob config = configDigest == null ? null : content.get(configDigest);
    if (config == null) return null;
    List<String> layers = layers(manifest.labels());
    if (layers == null || layers.isEmpty()) return null;
    long size = config.size();
    List<String> blobs = new ArrayList<>(List.of(configDigest));
    for (String layer : layers) {
      Blob blob = content.get(layer);
      if (blob == null) return null; // its size is in the manifest only
      size += blob.size();
      blobs.add(layer);
    }
    List<String> chain =
        chain(config.labels().get(SNAPSHOT_PREFIX + snapshotter), parentOfSnapshot);
    if (chain == null || chain.size() != layers.size()) return null;
    return new Image(configDigest, chain, size, blobs);
  }

  /** The layer digests in manifest order; null when the indexes are not 0..n-1. */
  private static List<String> layers(Map<String, String> labels) {
    TreeMap<Integer, String> byIndex = new TreeMap<>();
    for (Map.Entry<String, String> label : labels.entrySet()) {
      if (!label.getKey().startsWith(LAYER_PREFIX)) continue;
      try {
        byIndex.put(
            Integer.parseInt(label.getKey().substring(LAYER_PREFIX.length())), label.getValue());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    if (!byIndex.isEmpty() && byIndex.lastKey() != byIndex.size() - 1) return null;
    return new ArrayList<>(byIndex.values());
  }

  /** Bottom layer first, from the top snapshot down its parents; null when one is missing. */
  private static List<String> chain(String top, Map<String, String> parentOfSnapshot) {
    if (top == null) return null;
    List<String> chain = new ArrayList<>();
    for (String s = top; !s.isEmpty(); s = parentOfSnapshot.get(s)) {
      if (!parentOfSnapshot.containsKey(s) || chain.size() > parentOfSnapshot.size()) return null;
      chain.add(s);
    }
    Collections.reverse(chain);
    return chain;
  }
}
