package io.kubermi.agent.engine.rules;

import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredImage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bytes per layer (by chain ID), for counting what a removal freed: the layers an engine reports as
 * {@code Deleted:} are summed with {@link #freedBy}.
 */
public final class LayerSizes {
  private LayerSizes() {}

  /**
   * From an image's history, oldest entry first, as Docker's {@code /images/{id}/history} gives
   * sizes: one entry per layer, plus size-0 entries for steps that made no layer. When the entries
   * cannot be matched to layers one to one, the sized entries are matched from the bottom and any
   * layer left over counts 0 (a size-0 step and a size-0 layer look alike and free nothing).
   */
  public static Map<String, Long> fromHistory(List<String> chainIds, List<Long> historySizes) {
    List<Long> sizes = matchedEntries(chainIds, historySizes);
    Map<String, Long> byLayer = new HashMap<>();
    for (int i = 0; i < chainIds.size(); i++) {
      byLayer.put(chainIds.get(i), i < sizes.size() ? sizes.get(i) : 0L);
    }
    return byLayer;
  }

  /**
   * Whether {@link #fromHistory} matched every layer to a history entry of its own, rather than
   * counting a layer left over as 0.
   */
  public static boolean historyMatchesLayers(List<String> chainIds, List<Long> historySizes) {
    return matchedEntries(chainIds, historySizes).size() == chainIds.size();
  }

  /** The history entries matched to layers from the bottom: all of them, or the sized ones. */
  private static List<Long> matchedEntries(List<String> chainIds, List<Long> historySizes) {
    return historySizes.size() == chainIds.size()
        ? historySizes
        : historySizes.stream().filter(s -> s > 0).toList();
  }

  /**
   * Estimated from image sizes alone (for the simulated engine): an image's top layer weighs its
   * size minus that of the image whose chain ends one layer lower, or its whole size when no such
   * image exists.
   */
  public static Map<String, Long> fromImageSizes(ImageStoreModel model) {
    Map<List<String>, Long> sizeByChain = new HashMap<>();
    for (StoredImage i : model.images()) sizeByChain.put(i.chainIds(), i.size());
    Map<String, Long> byLayer = new HashMap<>();
    for (StoredImage i : model.images()) {
      List<String> chain = i.chainIds();
      if (chain.isEmpty()) continue;
      long below = sizeByChain.getOrDefault(chain.subList(0, chain.size() - 1), 0L);
      byLayer.merge(i.topLayer(), Math.max(0, i.size() - below), Math::max);
    }
    return byLayer;
  }

  /**
   * The bytes of the layers a successful removal reports as deleted; image IDs and unknown layers
   * weigh 0.
   */
  public static long freedBy(RmiResponse response, Map<String, Long> sizes) {
    long bytes = 0;
    for (RmiItem item : response.items()) {
      if (item.kind() == RmiItem.Kind.DELETED) bytes += sizes.getOrDefault(item.value(), 0L);
    }
    return bytes;
  }
}
