package io.kubermi.agent.engine.containerd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the engine keeps between reads of the store. Content is immutable, so what a manifest or a
 * config says, and the image a manifest's labels resolve to, never change; a warm read asks
 * containerd only for its names, snapshots and containers.
 */
final class StoreCache {
  private static final int MAX = 20_000;

  /** Parsed manifests, indexes and configs by digest. */
  final Map<String, JsonNode> blobs = new ConcurrentHashMap<>();

  /** Images resolved from their garbage-collection labels, by manifest digest. */
  final Map<String, GcLabels.Image> labelled = new ConcurrentHashMap<>();

  /** Bounded: a node with this many distinct manifests simply reads them again. */
  void trim() {
    if (blobs.size() + labelled.size() > MAX) {
      blobs.clear();
      labelled.clear();
    }
  }
}
