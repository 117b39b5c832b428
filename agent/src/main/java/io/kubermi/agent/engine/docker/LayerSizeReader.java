package io.kubermi.agent.engine.docker;

import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.rules.LayerSizes;
import io.kubermi.agent.engine.store.LayerChain;
import io.kubermi.agent.engine.store.StoredImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The uncompressed size of each layer of an image, from its history (sizes) and its layer chain:
 * the snapshot's when it read layers, else an inspect. Read before the DELETE: afterwards the image
 * and its history are gone.
 */
final class LayerSizeReader {
  private final DockerApi api;

  LayerSizeReader(DockerApi api) {
    this.api = api;
  }

  /**
   * Bytes by chain ID for the image {@code ref} names ({@code known}: the snapshot's image, or
   * null). Empty when it names no image. Only the byte count depends on it, so a failure here never
   * fails the removal.
   */
  Map<String, Long> read(String ref, StoredImage known, String version) {
    try {
      String id;
      List<String> chain;
      if (known != null && !known.chainIds().isEmpty()) {
        id = known.id();
        chain = known.chainIds();
      } else {
        DockerApi.Reply inspect =
            api.get("/v" + version + "/images/" + DeleteRequest.escapePath(ref) + "/json");
        if (inspect.status() != 200) return Map.of();
        List<String> diffIds = new ArrayList<>();
        inspect.body().path("RootFS").path("Layers").forEach(l -> diffIds.add(l.asText()));
        id = inspect.body().path("Id").asText();
        chain = LayerChain.chainIds(diffIds);
      }
      DockerApi.Reply history =
          api.get("/v" + version + "/images/" + DeleteRequest.escapePath(id) + "/history");
      if (history.status() != 200) return Map.of();
      List<Long> oldestFirst = new ArrayList<>();
      history.body().forEach(h -> oldestFirst.add(0, h.path("Size").asLong()));
      return LayerSizes.fromHistory(chain, oldestFirst);
    } catch (EngineException e) {
      return Map.of();
    }
  }
}
