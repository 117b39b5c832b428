package io.kubermi.agent.engine.docker;

import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.EngineInfo;
import io.kubermi.agent.engine.GroupExecutor;
import io.kubermi.agent.engine.LocalRefusal;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.RemovalOptions;
import io.kubermi.agent.engine.rules.DependencyGroups;
import io.kubermi.agent.engine.rules.LayerSizes;
import io.kubermi.agent.engine.rules.RmiPlanner;
import io.kubermi.agent.engine.rules.RmiResponse;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.api.ImageResult;
import io.kubermi.api.Outcome;
import io.kubermi.api.reference.DockerReference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Docker node: the daemon applies docker rmi's rules itself and the agent records its answer
 * verbatim. The agent only refuses to send what must not reach the daemon: a string that is not a
 * reference (answered locally with the daemon's own message), a protected image, and platform
 * removals on daemons older than API 1.50 (which would delete the whole image).
 */
public final class DockerEngine implements Engine {
  /** Connections to the daemon; the daemon deletes in parallel, so more than one pays. */
  static final int CONNECTIONS = 4;

  /** Below this many arguments, a snapshot with layers costs more than concurrency saves. */
  static final int CONCURRENT_MIN = 16;

  private final DockerApi api;
  private final ProtectedImages protectedImages;
  private final LayerSizeReader layerSizes;
  private final boolean countReclaimedBytes;
  private final AtomicLong reclaimed = new AtomicLong();
  private final AtomicLong reclaimable = new AtomicLong();
  private final ChainCache chains = new ChainCache();
  private DaemonVersion version;
  private ImageArrivals arrivals;

  public DockerEngine(String host, ProtectedImages protectedImages) {
    this(host, protectedImages, true);
  }

  /**
   * @param countReclaimedBytes read each image's layer sizes before deleting it (up to two requests
   *     per argument, none when the sizes are known); {@code kube-rmi rmi} prints no byte count, so
   *     it skips them
   */
  public DockerEngine(String host, ProtectedImages protectedImages, boolean countReclaimedBytes) {
    this.api = new DockerApi(host, CONNECTIONS);
    this.protectedImages = protectedImages;
    this.layerSizes = new LayerSizeReader(api);
    this.countReclaimedBytes = countReclaimedBytes;
  }

  private synchronized DaemonVersion version() {
    if (version == null) {
      version = DaemonVersion.read(api);
    }
    return version;
  }

  @Override
  public EngineInfo info() {
    return version().info();
  }

  /** The API version used in request paths: the daemon's own, capped at the newest we know. */
  String pathVersion() {
    return version().pathVersion();
  }

  @Override
  public List<ImageResult> remove(List<String> references, RemovalOptions options) {
    DaemonVersion daemon = version();
    if (daemon.containerdStore()) return errors(references, CONTAINERD_STORE_REFUSED);
    if (!options.platforms().isEmpty() && !daemon.removesSinglePlatforms()) {
      String message =
          "the engine cannot remove single platform variants: Docker Engine API "
              + daemon.info().apiVersion()
              + " is below "
              + DaemonVersion.PLATFORMS_MIN_API
              + " and would delete the whole image; nothing was removed";
      return errors(references, message);
    }
    if (options.dryRun()) {
      // Handed the read-only view: a dry-run path that tried to delete would fail, not delete.
      return dryRun(api.readOnly(), references, options, daemon.pathVersion());
    }
    List<String> platformJson =
        options.platforms().stream()
            .map(p -> DeleteRequest.platformJson(p, daemon.arch()))
            .toList();
    Request request = new Request(daemon.pathVersion(), options, platformJson);
    if (references.size() < CONCURRENT_MIN) {
      ImageStoreModel model =
          protectedImages.isEmpty()
              ? null
              : DockerSnapshot.read(api, request.version(), false, null, chains);
      return references.stream().map(ref -> removeOne(ref, model, request)).toList();
    }
    return removeConcurrently(references, request);
  }

  /** The path version, the flags and the platforms parameter of one removal's requests. */
  private record Request(String version, RemovalOptions options, List<String> platformJson) {}

  /**
   * Independent groups of arguments (see {@link DependencyGroups}) run on parallel connections,
   * each group in argument order, so every result is what the sequential docker rmi would print.
   */
  private List<ImageResult> removeConcurrently(List<String> references, Request request) {
    try (GroupExecutor executor = new GroupExecutor(CONNECTIONS)) {
      ImageStoreModel model =
          DockerSnapshot.read(api, request.version(), true, executor.pool(), chains);
      layerSizes.retainLayersOf(model);
      ImageResult[] results = new ImageResult[references.size()];
      executor.run(
          DependencyGroups.of(model, references),
          i -> results[i] = removeOne(references.get(i), model, request));
      return List.of(results);
    }
  }

  private ImageResult removeOne(String ref, ImageStoreModel model, Request request) {
    RmiResponse local;
    StoredImage known = null;
    if (model == null) {
      local = refuseLocally(ref, null);
    } else {
      synchronized (model) {
        local = refuseLocally(ref, model);
        String id =
            local == null && countReclaimedBytes
                ? new RmiPlanner(model).resolve(ref).imageId()
                : null;
        known = id == null ? null : model.image(id);
      }
    }
    Map<String, Long> sizes =
        local != null || !countReclaimedBytes
            ? Map.of()
            : layerSizes.read(ref, known, request.version());
    RemovalOptions o = request.options();
    RmiResponse response =
        local != null
            ? local
            : DeleteAnswer.send(
                api,
                DeleteRequest.path(
                    request.version(), ref, o.force(), o.noPrune(), request.platformJson()));
    if (response.isOk()) {
      reclaimed.addAndGet(LayerSizes.freedBy(response, sizes));
      layerSizes.forgetDeleted(response);
      if (model != null) {
        synchronized (model) {
          DeleteAnswer.applyTo(model, response);
        }
      }
    }
    return response.toResult(ref);
  }

  private List<ImageResult> dryRun(
      DockerApi readOnly, List<String> references, RemovalOptions options, String version) {
    if (!options.platforms().isEmpty()) {
      return errors(
          references, "dry run of platform variant removal is not supported on Docker nodes");
    }
    ImageStoreModel model = DockerSnapshot.read(readOnly, version, true, null, chains);
    RmiPlanner planner = new RmiPlanner(model);
    List<ImageResult> results = new ArrayList<>(references.size());
    for (String ref : references) {
      RmiResponse local = refuseLocally(ref, model);
      // Sizes read before the planner takes the image out of the model, as a real removal
      // reads them before its DELETE.
      Map<String, Long> sizes = local == null ? sizesOf(ref, planner, model, version) : Map.of();
      RmiResponse response =
          local != null ? local : planner.remove(ref, options.force(), !options.noPrune());
      ImageResult result = response.toResult(ref);
      if (response.isOk() && countReclaimedBytes) {
        long bytes = LayerSizes.freedBy(response, sizes);
        reclaimable.addAndGet(bytes);
        result.withReclaimableBytes(bytes);
      }
      results.add(result);
    }
    return results;
  }

  /** The layer sizes of the image a reference names in the model, as a removal reads them. */
  private Map<String, Long> sizesOf(
      String ref, RmiPlanner planner, ImageStoreModel model, String version) {
    if (!countReclaimedBytes) return Map.of();
    String id = planner.resolve(ref).imageId();
    return id == null ? Map.of() : layerSizes.read(ref, model.image(id), version);
  }

  private static List<ImageResult> errors(List<String> references, String message) {
    return references.stream()
        .map(r -> new ImageResult(r, Outcome.Error, List.of(), List.of(), message))
        .toList();
  }

  /**
   * Docker's containerd image store identifies images by manifest digest, words its conflicts
   * differently, has no parent chain and keeps a forced image a stopped container uses; kube-rmi's
   * rules follow the classic store. Its predictions (dry runs, prune selection) and the protection
   * of system pods' images read that model, so on this store every removal is refused whole.
   */
  static final String CONTAINERD_STORE_REFUSED =
      "the Docker daemon keeps its images in containerd (docker info: driver-type "
          + DaemonVersion.CONTAINERD_STORE_DRIVER
          + "), which kube-rmi does not support yet: its rules follow Docker's classic image"
          + " store, and on this one its dry runs, prune selection and protection of system pods'"
          + " images would not match the daemon; nothing was removed";

  /** Fails on the containerd image store, whose images the model would misread. */
  private void requireClassicStore() {
    if (version().containerdStore()) throw new EngineException(CONTAINERD_STORE_REFUSED);
  }

  @Override
  public ImageStoreModel snapshot() {
    requireClassicStore();
    try (GroupExecutor executor = new GroupExecutor(CONNECTIONS)) {
      return DockerSnapshot.read(api.readOnly(), pathVersion(), true, executor.pool(), chains);
    }
  }

  /** Two list calls: no inspect per image. */
  @Override
  public ImageStoreModel listing() {
    requireClassicStore();
    return DockerSnapshot.read(api.readOnly(), pathVersion(), false, null, chains);
  }

  @Override
  public Set<String> present(Collection<String> ids) {
    requireClassicStore();
    return DockerSnapshot.read(api.readOnly(), pathVersion(), true, null, chains).holding(ids);
  }

  /** The layers' size as {@code docker system df} counts it ({@code LayersSize} of /system/df). */
  @Override
  public long imageBytes() {
    if (version().containerdStore()) throw new EngineException(CONTAINERD_STORE_REFUSED);
    DockerApi.Reply reply = api.readOnly().get("/v" + pathVersion() + "/system/df");
    if (reply.status() != 200 || !reply.body().path("LayersSize").canConvertToLong()) {
      throw new EngineException(
          "Docker API answered " + reply.status() + " to /system/df, without LayersSize");
    }
    return reply.body().path("LayersSize").asLong();
  }

  @Override
  public long reclaimedBytes() {
    return reclaimed.get();
  }

  @Override
  public long reclaimableBytes() {
    return reclaimable.get();
  }

  /** A response given without asking the daemon, or null when the request may be sent. */
  private RmiResponse refuseLocally(String ref, ImageStoreModel model) {
    RmiResponse malformed = LocalRefusal.malformed(ref);
    if (malformed != null
        && DockerReference.ERR_UPPERCASE.equals(malformed.message())
        && version().namesRepositoryInErrors()) {
      // Never sent, answered in the words of this daemon's version.
      String naming = DockerReference.uppercaseNaming(ref);
      if (naming != null) return RmiResponse.error(malformed.status(), naming);
    }
    if (malformed != null || model == null) {
      return malformed;
    }
    return LocalRefusal.protectedImage(ref, model, protectedImages, Set.of());
  }

  @Override
  public ProtectedImages protectedImages() {
    return protectedImages;
  }

  @Override
  public boolean isUp() {
    try {
      return api.get("/_ping").status() == 200;
    } catch (EngineException e) {
      return false;
    }
  }

  /** Inspects images as the daemon reports them arriving ({@link ImageArrivals}). */
  @Override
  public synchronized void followImageArrivals() {
    if (arrivals == null && !version().containerdStore()) {
      arrivals =
          ImageArrivals.start(api, pathVersion(), chains, countReclaimedBytes ? layerSizes : null);
    }
  }

  @Override
  public synchronized void followContainerActivity(Runnable onActivity) {
    followImageArrivals();
    if (arrivals != null) arrivals.onContainerActivity(onActivity);
  }

  /** For tests and the snapshot reader in this package. */
  DockerApi api() {
    return api;
  }

  /** For tests: what follows image arrivals, null until {@link #followImageArrivals}. */
  synchronized ImageArrivals arrivals() {
    return arrivals;
  }

  /** For tests: the layer sizes known without a history request. */
  LayerSizeReader layerSizes() {
    return layerSizes;
  }

  /** For tests: the layer chains known without an inspect. */
  ChainCache chains() {
    return chains;
  }

  @Override
  public synchronized void close() {
    if (arrivals != null) arrivals.close();
    api.close();
  }
}
