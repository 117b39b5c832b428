package io.kubermi.agent.engine.docker;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Layer chains by image ID, kept between snapshots so a run's second snapshot inspects only the
 * images the first did not see. Safe because an ID names one config and so one list of layers.
 */
final class ChainCache {
  private final Map<String, List<String>> byImageId = new ConcurrentHashMap<>();

  /** The chain read for {@code imageId}, or null when it was never read. */
  List<String> get(String imageId) {
    return byImageId.get(imageId);
  }

  void put(String imageId, List<String> chain) {
    byImageId.put(imageId, List.copyOf(chain));
  }

  void remove(String imageId) {
    byImageId.remove(imageId);
  }

  /** Forgets every image not in {@code listed}: the cache never outgrows the daemon's store. */
  void retain(Set<String> listed) {
    byImageId.keySet().retainAll(listed);
  }
}
