package io.kubermi.agent.engine.docker;

import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.rules.LayerSizes;
import io.kubermi.agent.engine.rules.RmiItem;
import io.kubermi.agent.engine.rules.RmiResponse;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The uncompressed size of each layer of an image, read before the DELETE (afterwards the image and
 * its history are gone).
 *
 * <p>A layer's own size never changes (its chain ID names its content and everything below it), so
 * sizes are kept by chain ID. The daemon lists an image's size as the sum of its layers' own sizes,
 * so an image with at most one layer not yet known needs no request: that layer weighs the image's
 * size less the others. Otherwise the image's history gives every layer's size, with the chain from
 * the snapshot or, without one, from an inspect.
 */
final class LayerSizeReader {
  private final DockerApi api;
  private final Map<String, Long> byChainId = new ConcurrentHashMap<>();

  LayerSizeReader(DockerApi api) {
    this.api = api;
  }

  /**
   * Bytes by chain ID for the image {@code ref} names ({@code known}: the snapshot's image, or
   * null). Empty when it names no image. Only the byte count depends on it, so a failure here never
   * fails the removal.
   */
  Map<String, Long> read(String ref, StoredImage known, String version) {
    boolean layersKnown = known != null && !known.chainIds().isEmpty();
    if (layersKnown) {
      Map<String, Long> derived = fromKnownLayers(known);
      if (derived != null) return derived;
    }
    try {
      String id;
      List<String> chain;
      if (layersKnown) {
        id = known.id();
        chain = known.chainIds();
      } else {
        DockerSnapshot.Inspected image = DockerSnapshot.inspect(api, version, ref);
        id = image.id();
        chain = image.chain();
      }
      return fromHistory(id, chain, version);
    } catch (EngineException e) {
      return Map.of();
    }
  }

  /**
   * Reads an arriving image's layer sizes ahead of any removal of it, when more than one of them is
   * unknown (with one, a removal derives it from the listed size, with no request): the history
   * request is paid when the image arrives, not while a removal waits on it.
   */
  void learn(String id, List<String> chain, String version) {
    if (chain.stream().filter(layer -> !byChainId.containsKey(layer)).count() < 2) return;
    try {
      fromHistory(id, chain, version);
    } catch (EngineException e) {
      // removed again already, or the daemon is stopping: a removal reads it if it needs to
    }
  }

  /** For tests: the size known for a layer, or null. */
  Long known(String chainId) {
    return byChainId.get(chainId);
  }

  private Map<String, Long> fromHistory(String id, List<String> chain, String version) {
    DockerApi.Reply history =
        api.get("/v" + version + "/images/" + DeleteRequest.escapePath(id) + "/history");
    if (history.status() != 200) return Map.of();
    List<Long> oldestFirst = new ArrayList<>();
    history.body().forEach(h -> oldestFirst.add(0, h.path("Size").asLong()));
    Map<String, Long> sizes = LayerSizes.fromHistory(chain, oldestFirst);
    if (LayerSizes.historyMatchesLayers(chain, oldestFirst)) byChainId.putAll(sizes);
    return sizes;
  }

  /** Forgets the layers a removal reports deleted. */
  void forgetDeleted(RmiResponse response) {
    for (RmiItem item : response.items()) {
      if (item.kind() == RmiItem.Kind.DELETED) byChainId.remove(item.value());
    }
  }

  /** Forgets the layers no image in the snapshot has: the sizes never outgrow the store. */
  void retainLayersOf(ImageStoreModel model) {
    Set<String> layers = new HashSet<>();
    for (StoredImage image : model.images()) layers.addAll(image.chainIds());
    byChainId.keySet().retainAll(layers);
  }

  /** The sizes when at most one of the image's layers is not yet known, else null. */
  private Map<String, Long> fromKnownLayers(StoredImage image) {
    Map<String, Long> sizes = new HashMap<>();
    String unknown = null;
    long knownBytes = 0;
    for (String layer : image.chainIds()) {
      Long size = byChainId.get(layer);
      if (size != null) {
        sizes.put(layer, size);
        knownBytes += size;
      } else if (unknown == null) {
        unknown = layer;
      } else {
        return null;
      }
    }
    if (unknown != null) {
      long rest = image.size() - knownBytes;
      // A size the listing did not give (0) or that disagrees with the layers: ask the history.
      if (image.size() <= 0 || rest < 0) return null;
      sizes.put(unknown, rest);
      byChainId.put(unknown, rest);
    }
    return sizes;
  }
}
