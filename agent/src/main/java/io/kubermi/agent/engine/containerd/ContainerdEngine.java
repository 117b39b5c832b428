package io.kubermi.agent.engine.containerd;

import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.EngineInfo;
import io.kubermi.agent.engine.LocalRefusal;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.RemovalOptions;
import io.kubermi.agent.engine.containerd.api.SnapshotsProto;
import io.kubermi.agent.engine.rules.RmiPlanner;
import io.kubermi.agent.engine.rules.RmiResponse;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.api.ImageResult;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.Outcome;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * A containerd node. containerd has no rmi of its own (and the CRI's RemoveImage removes every name
 * with no in-use check), so the agent applies docker rmi's rules itself with the neutral planner
 * and carries out its decisions: an untag deletes that one name, a delete deletes every name of the
 * image (the CRI's {@code sha256:<id>} name too) and waits for garbage collection. Pinned (sandbox)
 * images and the protected list are never removed.
 */
public final class ContainerdEngine implements Engine {
  public static final String DEFAULT_NAMESPACE = "k8s.io";
  public static final String DEFAULT_SNAPSHOTTER = "overlayfs";

  /** Read from the labels containerd puts on unpacked images' configs: see {@link #snapshotter}. */
  public static final String AUTO_SNAPSHOTTER = "auto";

  private final ContainerdClient client;
  private final ProtectedImages protectedImages;
  private final String namespaceName;
  private final Platform node = Platform.node();
  private final String configuredSnapshotter;
  private String snapshotter;
  private EngineInfo info;
  private final AtomicLong reclaimed = new AtomicLong();
  private final AtomicLong reclaimable = new AtomicLong();
  private final boolean countReclaimedBytes;

  private final StoreCache cache = new StoreCache();
  private ContainerdActivity activity;

  /**
   * @param countReclaimedBytes read the sizes of the blobs and layer snapshots a removal may free
   *     (a content listing before and after, and one call per layer); {@code kube-rmi rmi} prints
   *     no byte count, so it skips them
   */
  public ContainerdEngine(
      String socketPath,
      String namespace,
      String snapshotter,
      ProtectedImages protectedImages,
      boolean countReclaimedBytes) {
    this.client = new ContainerdClient(socketPath, namespace);
    this.namespaceName = namespace;
    this.configuredSnapshotter = snapshotter;
    this.protectedImages = protectedImages;
    this.countReclaimedBytes = countReclaimedBytes;
  }

  public ContainerdEngine(
      String socketPath, ProtectedImages protectedImages, boolean countReclaimedBytes) {
    this(socketPath, DEFAULT_NAMESPACE, AUTO_SNAPSHOTTER, protectedImages, countReclaimedBytes);
  }

  public ContainerdEngine(String socketPath, ProtectedImages protectedImages) {
    this(socketPath, protectedImages, true);
  }

  /**
   * The snapshotter the node's images are unpacked into, which holds their layers: the configured
   * one, or with {@code auto} the one named by most {@code containerd.io/gc.ref.snapshot.<name>}
   * labels on the images' configs (what containerd writes when it unpacks an image; overlayfs on
   * most nodes, native, devmapper, zfs, stargz or soci on others), {@value #DEFAULT_SNAPSHOTTER}
   * while nothing is unpacked yet. Layer lines and freed bytes are read from it.
   */
  public synchronized String snapshotter() {
    if (snapshotter != null) return snapshotter;
    if (!configuredSnapshotter.equals(AUTO_SNAPSHOTTER)) {
      snapshotter = configuredSnapshotter;
      return snapshotter;
    }
    var inUse = SnapshotterLabels.mostUsed(client.contentInfo().values());
    // Nothing unpacked yet: ask again next time rather than settle on the default.
    return inUse.map(found -> snapshotter = found).orElse(DEFAULT_SNAPSHOTTER);
  }

  @Override
  public synchronized EngineInfo info() {
    if (info == null) {
      var v = client.version();
      info = new EngineInfo("containerd", v.getVersion(), "v1");
    }
    return info;
  }

  /**
   * Every call ends in one garbage collection (0.05-0.25 s in the benchmarks), so a call takes as
   * many arguments as an ImageRemoval may name: one collection per run, as {@code ctr images rm
   * --sync} has one per command.
   */
  @Override
  public int removalBatch() {
    return KubeRmi.MAX_IMAGES;
  }

  @Override
  public List<ImageResult> remove(List<String> references, RemovalOptions options) {
    // A dry run is handed a client that refuses every change, so a path that forgets the flag
    // fails loudly instead of deleting.
    ContainerdClient writer = options.dryRun() ? client.readOnly() : client;
    ContainerdState state = read();
    if (!options.platforms().isEmpty()) {
      return removePlatformVariants(writer, references, state, options);
    }
    if (options.dryRun()) {
      RmiPlanner planner = new RmiPlanner(state.model());
      List<ImageResult> results = new ArrayList<>(references.size());
      List<RmiResponse> plans = new ArrayList<>();
      List<ImageResult> planned = new ArrayList<>();
      for (String ref : references) {
        RmiResponse local = refuseLocally(ref, state);
        RmiResponse plan =
            local != null ? local : planner.remove(ref, options.force(), !options.noPrune());
        ImageResult result = plan.toResult(ref);
        if (local == null && plan.isOk()) {
          plans.add(plan);
          planned.add(result);
        }
        results.add(result);
      }
      if (countReclaimedBytes) {
        List<Long> each = FreedSpace.predictedEach(client, snapshotter(), state, plans);
        for (int i = 0; i < each.size(); i++) {
          planned.get(i).withReclaimableBytes(each.get(i));
          reclaimable.addAndGet(each.get(i));
        }
      }
      return results;
    }
    return removeInBatches(references, state, options, plan -> {});
  }

  /** Named images without a platform: those {@link BatchRemoval} plans before deleting. */
  @Override
  public boolean plansRemovals(RemovalOptions options) {
    return !options.dryRun() && options.platforms().isEmpty();
  }

  @Override
  public List<ImageResult> remove(
      List<String> references, RemovalOptions options, Consumer<List<ImageResult>> beforeChanging) {
    if (!plansRemovals(options)) {
      throw new IllegalArgumentException("no plan to hand out for " + options);
    }
    return removeInBatches(references, read(), options, beforeChanging);
  }

  /**
   * The arguments as one batch (one garbage collection); when a deletion fails, that argument is an
   * Error and the arguments left undone go on as a new batch on a fresh read of the store. Only the
   * first batch's plan, which answers every argument, is handed to {@code beforeChanging}.
   */
  private List<ImageResult> removeInBatches(
      List<String> references,
      ContainerdState first,
      RemovalOptions options,
      Consumer<List<ImageResult>> beforeChanging) {
    ImageResult[] results = new ImageResult[references.size()];
    List<Integer> undone = IntStream.range(0, references.size()).boxed().toList();
    ContainerdState state = first;
    Consumer<List<ImageResult>> announce = beforeChanging;
    while (true) {
      List<String> refs = undone.stream().map(references::get).toList();
      ContainerdState s = state;
      long[] freed = {0};
      ImageResult[] done =
          new BatchRemoval(
                  client, snapshotter(), s, ref -> refuseLocally(ref, s), countReclaimedBytes)
              .run(refs, options.force(), !options.noPrune(), freed, announce);
      announce = plan -> {};
      reclaimed.addAndGet(freed[0]);
      List<Integer> left = new ArrayList<>();
      for (int k = 0; k < refs.size(); k++) {
        if (done[k] != null) results[undone.get(k)] = done[k];
        else left.add(undone.get(k));
      }
      // Each pass answers at least the argument whose deletion failed, so this ends.
      if (left.isEmpty()) return List.of(results);
      undone = left;
      state = read(); // what happened is unsure: look again before the next argument
    }
  }

  private List<ImageResult> removePlatformVariants(
      ContainerdClient writer,
      List<String> references,
      ContainerdState first,
      RemovalOptions options) {
    ContainerdState state = first;
    PlatformRemoval platforms = new PlatformRemoval(writer, node, state, options.dryRun());
    List<ImageResult> results = new ArrayList<>(references.size());
    for (String ref : references) {
      RmiResponse local = refuseLocally(ref, state);
      if (local != null) {
        results.add(local.toResult(ref));
        continue;
      }
      results.add(removePlatforms(platforms, ref, options));
      if (!options.dryRun()) {
        state = read();
        platforms = new PlatformRemoval(writer, node, state, false);
      }
    }
    return results;
  }

  private ImageResult removePlatforms(PlatformRemoval removal, String ref, RemovalOptions options) {
    try {
      long before = removal.reclaimedBytes();
      ImageResult result = removal.remove(ref, options).toResult(ref);
      reclaimed.addAndGet(removal.reclaimedBytes() - before);
      return result;
    } catch (EngineException e) {
      return new ImageResult(ref, Outcome.Error, List.of(), List.of(), e.getMessage());
    }
  }

  @Override
  public ImageStoreModel snapshot() {
    return read().model();
  }

  @Override
  public Set<String> present(Collection<String> ids) {
    ContainerdState state = read();
    Set<String> held = new HashSet<>(state.model().holding(ids));
    for (String id : ids) {
      if (state.snapshots().contains(id)) held.add(id);
    }
    return held;
  }

  /**
   * The content store's blobs plus the disk usage of the snapshotter's committed snapshots (the
   * images' unpacked layers) in the namespace: the two things a removal's freed bytes are counted
   * from. Containers' own writable snapshots are not images and are left out.
   */
  @Override
  public long imageBytes() {
    long bytes = client.contentSizes().values().stream().mapToLong(Long::longValue).sum();
    String snapshotter = snapshotter();
    for (SnapshotsProto.Info s : client.listSnapshots(snapshotter)) {
      if (s.getKind() == SnapshotsProto.Kind.COMMITTED) {
        bytes += Math.max(0, client.snapshotUsage(snapshotter, s.getName()));
      }
    }
    return bytes;
  }

  @Override
  public long reclaimedBytes() {
    return reclaimed.get();
  }

  @Override
  public long reclaimableBytes() {
    return reclaimable.get();
  }

  @Override
  public ProtectedImages protectedImages() {
    return protectedImages;
  }

  /**
   * Refuses a containerd without the namespace this engine works in: on a Docker node the
   * containerd socket is Docker's own (namespace moby) and holds none of the node's images, so
   * working there would report every image absent and every removal a success.
   */
  public void requireNamespace() {
    List<String> namespaces = client.namespaces();
    if (!namespaces.contains(namespaceName)) {
      throw new EngineException(
          "containerd has no namespace \""
              + namespaceName
              + "\" (it has: "
              + (namespaces.isEmpty() ? "none" : String.join(", ", namespaces))
              + "): not the kubelet's containerd"
              + (namespaces.contains("moby")
                  ? "; this is Docker's own containerd: on a Docker node use engine docker"
                  : ""));
    }
  }

  @Override
  public boolean isUp() {
    try {
      client.version();
      return true;
    } catch (EngineException e) {
      return false;
    }
  }

  /** Prune selects by creation time and labels, which only the images' configs hold. */
  @Override
  public ImageStoreModel listing() {
    return read(true).model();
  }

  /** The store as the rules see it (no creation times or labels where the store can spare them). */
  ContainerdState read() {
    return read(false);
  }

  private ContainerdState read(boolean withConfigs) {
    cache.trim();
    return new ContainerdSnapshot(client, node, snapshotter(), cache).read(withConfigs);
  }

  /** Grammar failures (answered as the daemon would), pinned and protected images. */
  private RmiResponse refuseLocally(String ref, ContainerdState state) {
    RmiResponse malformed = LocalRefusal.malformed(ref);
    return malformed != null
        ? malformed
        : LocalRefusal.protectedImage(ref, state.model(), protectedImages, state.pinned());
  }

  @Override
  public synchronized void followContainerActivity(Runnable onActivity) {
    if (activity != null) activity.close();
    activity = ContainerdActivity.start(client, namespaceName, onActivity);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (activity != null) activity.close();
    }
    client.close();
  }
}
