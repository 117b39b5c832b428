package io.kubermi.agent.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.GroupExecutor;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.LayerChain;
import io.kubermi.agent.engine.store.StoredContainer;
import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.api.reference.DockerReference;
import io.kubermi.api.reference.InvalidReferenceException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Reads a Docker daemon's images, references, parents, layers and containers into the neutral
 * model.
 */
final class DockerSnapshot {
  private static final Set<String> RUNNING_STATES = Set.of("running", "paused", "restarting");

  private DockerSnapshot() {}

  /**
   * With layers, one inspect per image not in {@code chains} (on the pool when given); without, two
   * list calls (enough to resolve references). An image ID is the digest of a config that lists the
   * image's layers, so a chain read once stays true for that ID: {@code chains} keeps them across
   * snapshots, and forgets the images the daemon no longer lists.
   */
  static ImageStoreModel read(
      DockerApi api, String version, boolean withLayers, ExecutorService pool, ChainCache chains) {
    ImageStoreModel model = new ImageStoreModel();
    JsonNode images = ok(api.get("/v" + version + "/images/json?all=1"));
    Map<String, Future<List<String>>> pending = new HashMap<>();
    for (JsonNode i : images) {
      String id = i.path("Id").asText();
      List<String> known = withLayers ? chains.get(id) : List.of();
      Callable<List<String>> inspect = () -> inspect(api, version, id).chain();
      pending.put(
          id,
          known != null
              ? CompletableFuture.completedFuture(known)
              : pool == null
                  ? CompletableFuture.completedFuture(call(inspect))
                  : pool.submit(inspect));
    }
    for (JsonNode i : images) {
      String id = i.path("Id").asText();
      String parent = i.path("ParentId").asText("");
      List<String> chain = await(pending.get(id));
      if (withLayers) chains.put(id, chain);
      model.addImage(
          new StoredImage(
              id,
              parent.isEmpty() ? null : parent,
              chain,
              i.path("Size").asLong(),
              i.path("Created").isNumber()
                  ? Instant.ofEpochSecond(i.path("Created").asLong())
                  : null,
              labels(i.path("Labels"))));
      for (JsonNode ref : iterable(i.path("RepoTags"))) addReference(model, ref.asText(), id);
      for (JsonNode ref : iterable(i.path("RepoDigests"))) addReference(model, ref.asText(), id);
    }
    if (withLayers) chains.retain(pending.keySet());
    for (JsonNode c : ok(api.get("/v" + version + "/containers/json?all=1"))) {
      model.addContainer(
          new StoredContainer(
              c.path("Id").asText(),
              c.path("ImageID").asText(),
              RUNNING_STATES.contains(c.path("State").asText()),
              c.path("Labels").path(StoredContainer.POD_NAMESPACE_LABEL).isTextual()
                  ? c.path("Labels").path(StoredContainer.POD_NAMESPACE_LABEL).asText()
                  : null));
    }
    return model;
  }

  private static Map<String, String> labels(JsonNode labels) {
    Map<String, String> map = new HashMap<>();
    labels.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  private static <T> T call(Callable<T> c) {
    try {
      return c.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new EngineException(e.getMessage(), e);
    }
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted while reading the daemon's images", e);
    } catch (ExecutionException e) {
      throw GroupExecutor.unwrap(e);
    }
  }

  /** An image's ID and layer chain, as one inspect gives them. */
  record Inspected(String id, List<String> chain) {}

  /** Inspects the image {@code nameOrId} names: one request. */
  static Inspected inspect(DockerApi api, String version, String nameOrId) {
    JsonNode image =
        ok(api.get("/v" + version + "/images/" + DeleteRequest.escapePath(nameOrId) + "/json"));
    List<String> diffIds = new ArrayList<>();
    for (JsonNode l : iterable(image.path("RootFS").path("Layers"))) {
      diffIds.add(l.asText());
    }
    return new Inspected(image.path("Id").asText(), LayerChain.chainIds(diffIds));
  }

  private static void addReference(ImageStoreModel model, String ref, String imageId) {
    if (ref.startsWith("<none>")) return;
    try {
      model.addReference(DockerReference.parseNormalizedNamed(ref), imageId);
    } catch (InvalidReferenceException e) {
      throw new EngineException(
          "the daemon listed an unparsable reference " + ref + ": " + e.getMessage());
    }
  }

  private static JsonNode ok(DockerApi.Reply reply) {
    if (reply.status() != 200) {
      throw new EngineException(
          "Docker API answered " + reply.status() + ": " + reply.body().path("message").asText());
    }
    return reply.body();
  }

  private static Iterable<JsonNode> iterable(JsonNode n) {
    return n.isArray() ? n : List.of();
  }
}
