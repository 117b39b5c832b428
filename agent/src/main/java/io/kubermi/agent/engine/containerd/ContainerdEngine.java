package io.kubermi.agent.engine.containerd;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.EngineInfo;
import io.kubermi.agent.engine.LocalRefusal;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.RemovalOptions;
import io.kubermi.agent.engine.rules.RmiItem;
import io.kubermi.agent.engine.rules.RmiPlanner;
import io.kubermi.agent.engine.rules.RmiResponse;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.api.ImageResult;
import io.kubermi.api.Outcome;
import io.kubermi.api.reference.DockerReference;
import io.kubermi.api.reference.InvalidReferenceException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

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

  private final ContainerdClient client;
  private final ProtectedImages protectedImages;
  private final Platform node = Platform.node();
  private final String snapshotter;
  private EngineInfo info;
  private final AtomicLong reclaimed = new AtomicLong();

  /** Manifests, indexes and configs by digest, kept across snapshots (content never changes). */
  private final Map<String, JsonNode> blobCache = new ConcurrentHashMap<>();

  private static final int BLOB_CACHE_MAX = 20_000;

  public ContainerdEngine(
      String socketPath, String namespace, String snapshotter, ProtectedImages protectedImages) {
    this.client = new ContainerdClient(socketPath, namespace);
    this.snapshotter = snapshotter;
    this.protectedImages = protectedImages;
  }

  public ContainerdEngine(String socketPath, ProtectedImages protectedImages) {
    this(socketPath, DEFAULT_NAMESPACE, DEFAULT_SNAPSHOTTER, protectedImages);
  }

  @Override
  public synchronized EngineInfo info() {
    if (info == null) {
      var v = client.version();
      info = new EngineInfo("containerd", v.getVersion(), "v1");
    }
    return info;
  }

  @Override
  public List<ImageResult> remove(List<String> references, RemovalOptions options) {
    // A dry run is handed a client that refuses every change, so a path that forgets the flag
    // fails loudly instead of deleting.
    ContainerdClient writer = options.dryRun() ? client.readOnly() : client;
    ContainerdState state = read();
    PlatformRemoval platforms = new PlatformRemoval(writer, node, state, options.dryRun());
    List<ImageResult> results = new ArrayList<>(references.size());
    for (String ref : references) {
      RmiResponse local = refuseLocally(ref, state);
      if (local != null) {
        results.add(local.toResult(ref));
      } else if (!options.platforms().isEmpty()) {
        results.add(removePlatforms(platforms, ref, options));
        if (!options.dryRun()) {
          state = read();
          platforms = new PlatformRemoval(writer, node, state, false);
        }
      } else if (options.dryRun()) {
        results.add(
            new RmiPlanner(state.model())
                .remove(ref, options.force(), !options.noPrune())
                .toResult(ref));
      } else {
        try {
          results.add(execute(writer, ref, state, options));
        } catch (EngineException e) {
          results.add(new ImageResult(ref, Outcome.Error, List.of(), List.of(), e.getMessage()));
          state = read(); // what happened is unsure: look again before the next argument
        }
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

  @Override
  public long reclaimedBytes() {
    return reclaimed.get();
  }

  @Override
  public ProtectedImages protectedImages() {
    return protectedImages;
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

  ContainerdState read() {
    if (blobCache.size() > BLOB_CACHE_MAX) {
      blobCache
          .clear(); // bounded: a node with this many distinct manifests simply reads them again
    }
    return new ContainerdSnapshot(client, node, snapshotter, blobCache).read();
  }

  /** Grammar failures (answered as the daemon would), pinned and protected images. */
  private RmiResponse refuseLocally(String ref, ContainerdState state) {
    RmiResponse malformed = LocalRefusal.malformed(ref);
    return malformed != null
        ? malformed
        : LocalRefusal.protectedImage(ref, state.model(), protectedImages, state.pinned());
  }

  /** Plans on the live model, then makes containerd match what the plan changed. */
  private ImageResult execute(
      ContainerdClient writer, String ref, ContainerdState state, RemovalOptions options) {
    ImageStoreModel model = state.model();
    Set<String> imagesBefore = ids(model);
    RmiResponse plan = new RmiPlanner(model).remove(ref, options.force(), !options.noPrune());
    if (!plan.isOk()) {
      return plan.toResult(ref);
    }
    List<String> names = new ArrayList<>();
    for (RmiItem item : plan.items()) {
      if (item.kind() == RmiItem.Kind.UNTAGGED) {
        names.add(storedName(item.value()));
      }
    }
    Set<String> removedImages = new LinkedHashSet<>(imagesBefore);
    removedImages.removeAll(ids(model));
    for (String id : removedImages) {
      for (String name : state.namesByImage().getOrDefault(id, List.of())) {
        if (!names.contains(name)) names.add(name);
      }
    }
    FreedSpace space = FreedSpace.before(client, snapshotter, state, removedImages, plan);
    for (int i = 0; i < names.size(); i++) {
      // The last deletion waits for garbage collection when an image goes, so layers are really
      // freed.
      writer.deleteImage(names.get(i), !removedImages.isEmpty() && i == names.size() - 1);
      String deleted = names.get(i);
      state
          .namesByImage()
          .values()
          .forEach(list -> list.remove(deleted)); // later arguments see it gone
    }
    RmiResponse done = confirmLayers(plan, state);
    reclaimed.addAndGet(space.after(client, done));
    return done.toResult(ref);
  }

  /** Keeps a predicted "Deleted: <layer>" only if that layer's snapshot existed and is gone now. */
  private RmiResponse confirmLayers(RmiResponse plan, ContainerdState before) {
    boolean anyLayer =
        plan.items().stream()
            .anyMatch(
                i -> i.kind() == RmiItem.Kind.DELETED && before.snapshots().contains(i.value()));
    Set<String> now =
        anyLayer
            ? new HashSet<>(
                client.listSnapshots(snapshotter).stream().map(s -> s.getName()).toList())
            : Set.of();
    List<RmiItem> items = new ArrayList<>();
    for (RmiItem i : plan.items()) {
      boolean isImage = before.namesByImage().containsKey(i.value());
      if (i.kind() == RmiItem.Kind.UNTAGGED
          || isImage
          || (before.snapshots().contains(i.value()) && !now.contains(i.value()))) {
        items.add(i);
      }
    }
    return RmiResponse.ok(items);
  }

  /** containerd stores names fully normalized: {@code docker.io/library/busybox:1}. */
  private static String storedName(String familiar) {
    try {
      DockerReference r = DockerReference.parseNormalizedNamed(familiar);
      return (r.hasDigest() ? r.withoutTag() : r).toString();
    } catch (InvalidReferenceException e) {
      throw new EngineException("planned an unparsable name " + familiar);
    }
  }

  private static Set<String> ids(ImageStoreModel model) {
    Set<String> ids = new LinkedHashSet<>();
    for (StoredImage i : model.images()) ids.add(i.id());
    return ids;
  }

  @Override
  public void close() {
    client.close();
  }
}
