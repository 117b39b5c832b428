package io.kubermi.agent.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.EngineInfo;
import io.kubermi.agent.engine.LocalRefusal;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.RemovalOptions;
import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.model.DependencyGroups;
import io.kubermi.agent.engine.model.ImageStoreModel;
import io.kubermi.agent.engine.model.LayerChain;
import io.kubermi.agent.engine.model.LayerSizes;
import io.kubermi.agent.engine.model.RmiItem;
import io.kubermi.agent.engine.model.RmiPlanner;
import io.kubermi.agent.engine.model.RmiResponse;
import io.kubermi.agent.engine.model.StoredImage;
import io.kubermi.api.ImageResult;
import io.kubermi.api.Outcome;
import io.kubermi.api.reference.DockerReference;
import io.kubermi.api.reference.InvalidReferenceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A Docker node: the daemon applies docker rmi's rules itself and the agent records its answer
 * verbatim. The agent only refuses to send what must not reach the daemon: a string that is not
 * a reference (answered locally with the daemon's own message), a protected image, and platform
 * removals on daemons older than API 1.50 (which would delete the whole image).
 */
public final class DockerEngine implements Engine {
  /** The newest API whose DELETE /images semantics this engine knows. */
  static final String MAX_API = "1.51";
  static final String PLATFORMS_MIN_API = "1.50";
  /** Connections to the daemon; the daemon deletes in parallel, so more than one pays. */
  static final int CONNECTIONS = 4;
  /** Below this many arguments, a snapshot with layers costs more than concurrency saves. */
  static final int CONCURRENT_MIN = 16;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DockerApi api;
  private final ProtectedImages protectedImages;
  private final boolean countReclaimedBytes;
  private final java.util.concurrent.atomic.AtomicLong reclaimed = new java.util.concurrent.atomic.AtomicLong();
  private EngineInfo info;
  private String arch;

  public DockerEngine(String host, ProtectedImages protectedImages) {
    this(host, protectedImages, true);
  }

  /**
   * @param countReclaimedBytes read each image's layer sizes before deleting it (two requests per
   *     argument); {@code kube-rmi rmi} prints no byte count, so it skips them
   */
  public DockerEngine(String host, ProtectedImages protectedImages, boolean countReclaimedBytes) {
    this.api = new DockerApi(host, CONNECTIONS);
    this.protectedImages = protectedImages;
    this.countReclaimedBytes = countReclaimedBytes;
  }

  @Override
  public synchronized EngineInfo info() {
    if (info == null) {
      DockerApi.Reply v = api.get("/version");
      if (v.status() != 200) {
        throw new EngineException("Docker API /version answered " + v.status());
      }
      String apiVersion = v.body().path("ApiVersion").asText();
      arch = v.body().path("Arch").asText("amd64");
      info = new EngineInfo("docker", v.body().path("Version").asText(), apiVersion);
    }
    return info;
  }

  /** The API version used in request paths: the daemon's own, capped at the newest we know. */
  String pathVersion() {
    String daemon = info().apiVersion();
    return compareVersions(daemon, MAX_API) > 0 ? MAX_API : daemon;
  }

  @Override
  public List<ImageResult> remove(List<String> references, RemovalOptions options) {
    String version = pathVersion();
    boolean platformsSupported = compareVersions(version, PLATFORMS_MIN_API) >= 0;
    if (!options.platforms().isEmpty() && !platformsSupported) {
      String message = "the engine cannot remove single platform variants: Docker Engine API " + info().apiVersion()
          + " is below " + PLATFORMS_MIN_API + " and would delete the whole image; nothing was removed";
      return references.stream().map(r -> new ImageResult(r, Outcome.Error, List.of(), List.of(), message)).toList();
    }
    if (options.dryRun()) {
      return dryRun(references, options, version);
    }
    List<String> platformJson = options.platforms().stream().map(this::platformJson).toList();
    if (references.size() < CONCURRENT_MIN) {
      ImageStoreModel model = protectedImages.isEmpty() ? null : DockerSnapshot.read(api, version, false, null);
      List<ImageResult> results = new ArrayList<>(references.size());
      for (String ref : references) {
        results.add(removeOne(ref, model, version, options, platformJson));
      }
      return results;
    }
    return removeConcurrently(references, options, version, platformJson);
  }

  /**
   * Independent groups of arguments (see {@link DependencyGroups}) run on parallel connections,
   * each group in argument order, so every result is what the sequential docker rmi would print.
   */
  private List<ImageResult> removeConcurrently(List<String> references, RemovalOptions options, String version,
                                               List<String> platformJson) {
    ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
    try {
      ImageStoreModel model = DockerSnapshot.read(api, version, true, pool);
      ImageResult[] results = new ImageResult[references.size()];
      List<Future<?>> running = new ArrayList<>();
      for (List<Integer> group : DependencyGroups.of(model, references)) {
        running.add(pool.submit(() -> {
          for (int i : group) {
            results[i] = removeOne(references.get(i), model, version, options, platformJson);
          }
        }));
      }
      for (Future<?> f : running) {
        f.get();
      }
      return List.of(results);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted while removing images", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new EngineException(e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private ImageResult removeOne(String ref, ImageStoreModel model, String version, RemovalOptions options,
                                List<String> platformJson) {
    RmiResponse local;
    StoredImage known = null;
    if (model == null) {
      local = refuseLocally(ref, null);
    } else {
      synchronized (model) {
        local = refuseLocally(ref, model);
        String id = local == null && countReclaimedBytes ? new RmiPlanner(model).resolve(ref).imageId() : null;
        known = id == null ? null : model.image(id);
      }
    }
    // Layer sizes must be read before the DELETE: afterwards the image and its history are gone.
    Map<String, Long> sizes = local != null || !countReclaimedBytes ? Map.of() : layerSizes(ref, known, version);
    RmiResponse response = local != null ? local
        : send(DeleteRequest.path(version, ref, options.force(), options.noPrune(), platformJson));
    if (response.isOk()) {
      reclaimed.addAndGet(LayerSizes.freedBy(response, sizes));
    }
    if (model != null && response.isOk()) {
      synchronized (model) {
        applyTo(model, response);
      }
    }
    return response.toResult(ref);
  }

  private List<ImageResult> dryRun(List<String> references, RemovalOptions options, String version) {
    if (!options.platforms().isEmpty()) {
      String message = "dry run of platform variant removal is not supported on Docker nodes";
      return references.stream().map(r -> new ImageResult(r, Outcome.Error, List.of(), List.of(), message)).toList();
    }
    ImageStoreModel model = DockerSnapshot.read(api, version, true, null);
    RmiPlanner planner = new RmiPlanner(model);
    List<ImageResult> results = new ArrayList<>(references.size());
    for (String ref : references) {
      RmiResponse local = refuseLocally(ref, model);
      RmiResponse response = local != null ? local : planner.remove(ref, options.force(), !options.noPrune());
      results.add(response.toResult(ref));
    }
    return results;
  }

  /**
   * The uncompressed size of each layer of the image {@code ref} names, from its history (sizes)
   * and its layer chain: the snapshot's when it read layers ({@code known}), else an inspect.
   * Empty when it names no image. Only the byte count depends on it, so a failure here never
   * fails the removal.
   */
  private Map<String, Long> layerSizes(String ref, StoredImage known, String version) {
    try {
      String id;
      List<String> chain;
      if (known != null && !known.chainIds().isEmpty()) {
        id = known.id();
        chain = known.chainIds();
      } else {
        DockerApi.Reply inspect = api.get("/v" + version + "/images/" + DeleteRequest.escapePath(ref) + "/json");
        if (inspect.status() != 200) return Map.of();
        List<String> diffIds = new ArrayList<>();
        inspect.body().path("RootFS").path("Layers").forEach(l -> diffIds.add(l.asText()));
        id = inspect.body().path("Id").asText();
        chain = LayerChain.chainIds(diffIds);
      }
      DockerApi.Reply history = api.get("/v" + version + "/images/" + DeleteRequest.escapePath(id) + "/history");
      if (history.status() != 200) return Map.of();
      List<Long> oldestFirst = new ArrayList<>();
      history.body().forEach(h -> oldestFirst.add(0, h.path("Size").asLong()));
      return LayerSizes.fromHistory(chain, oldestFirst);
    } catch (EngineException e) {
      return Map.of();
    }
  }

  @Override
  public long reclaimedBytes() {
    return reclaimed.get();
  }

  /** A response given without asking the daemon, or null when the request may be sent. */
  private RmiResponse refuseLocally(String ref, ImageStoreModel model) {
    RmiResponse malformed = LocalRefusal.malformed(ref);
    if (malformed != null || model == null) {
      return malformed;
    }
    return LocalRefusal.protectedImage(ref, model, protectedImages, Set.of());
  }

  private RmiResponse send(String path) {
    DockerApi.Reply reply = api.delete(path);
    if (reply.status() != 200) {
      return RmiResponse.error(reply.status(), reply.body().path("message").asText(reply.body().toString()));
    }
    List<RmiItem> items = new ArrayList<>();
    for (JsonNode item : reply.body()) {
      if (item.hasNonNull("Untagged") && !item.get("Untagged").asText().isEmpty()) {
        items.add(RmiItem.untagged(item.get("Untagged").asText()));
      } else if (item.hasNonNull("Deleted")) {
        items.add(RmiItem.deleted(item.get("Deleted").asText()));
      }
    }
    return RmiResponse.ok(items);
  }

  /** Keeps the resolving model in step with what the daemon just did. */
  private static void applyTo(ImageStoreModel model, RmiResponse response) {
    for (RmiItem item : response.items()) {
      if (item.kind() == RmiItem.Kind.UNTAGGED) {
        try {
          DockerReference r = DockerReference.parseNormalizedNamed(item.value());
          model.removeReference(r.hasDigest() ? r.withoutTag() : r);
        } catch (InvalidReferenceException ignored) {
          // the daemon printed it, so it parses; nothing to do otherwise
        }
      } else if (model.image(item.value()) != null) {
        model.deleteImage(item.value());
      }
    }
  }

  /** An OCI platform as the API's platforms parameter takes it; arch defaults to the node's. */
  String platformJson(String platform) {
    String[] parts = platform.split("/");
    var node = JSON.createObjectNode().put("os", parts[0]).put("architecture", parts.length > 1 ? parts[1] : arch());
    if (parts.length > 2) {
      node.put("variant", parts[2]);
    }
    return node.toString();
  }

  private String arch() {
    info();
    return arch;
  }

  static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int xi = i < x.length ? Integer.parseInt(x[i]) : 0;
      int yi = i < y.length ? Integer.parseInt(y[i]) : 0;
      if (xi != yi) return Integer.compare(xi, yi);
    }
    return 0;
  }

  @Override
  public boolean isUp() {
    try {
      return api.get("/_ping").status() == 200;
    } catch (EngineException e) {
      return false;
    }
  }

  /** For tests and the snapshot reader in this package. */
  DockerApi api() {
    return api;
  }

  @Override
  public void close() {
    api.close();
  }
}
