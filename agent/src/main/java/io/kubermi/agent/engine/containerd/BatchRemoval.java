package io.kubermi.agent.engine.containerd;

import io.kubermi.agent.engine.EngineException;
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
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Removes a run of rmi arguments on containerd the way {@code ctr images rm} is fast: every
 * argument is planned first on the live model (the neutral rules say which names go and which
 * layers each deletion frees), then all their names are deleted with one garbage collection at the
 * end instead of one per image, and each argument's predicted layer lines are confirmed against
 * what that collection really freed: a layer still there (held by a lease, say) is never claimed.
 * When a deletion fails, the arguments not yet carried out are left to the caller, which reads the
 * store again.
 */
final class BatchRemoval {
  /** One argument planned: its answer as predicted, the names to delete, what it may free. */
  private record Planned(
      int index, String ref, RmiResponse plan, List<String> names, FreedSpace space) {}

  /** The results, and the index of the first argument not carried out (size when all were). */
  record Done(ImageResult[] results, int doneUpTo) {}

  private final ContainerdClient client;
  private final String snapshotter;
  private final ContainerdState state;
  private final Function<String, RmiResponse> localRefusal;

  BatchRemoval(
      ContainerdClient client,
      String snapshotter,
      ContainerdState state,
      Function<String, RmiResponse> localRefusal) {
    this.client = client;
    this.snapshotter = snapshotter;
    this.state = state;
    this.localRefusal = localRefusal;
  }

  /**
   * Plans and carries out {@code refs}; adds the bytes freed to {@code reclaimed[0]}. Arguments
   * from {@code doneUpTo} on have no result yet.
   */
  Done run(List<String> refs, boolean force, boolean prune, long[] reclaimed) {
    ImageResult[] results = new ImageResult[refs.size()];
    List<Planned> planned = plan(refs, force, prune, results);
    boolean anyImageGoes =
        planned.stream().anyMatch(p -> p.plan().items().stream().anyMatch(this::isImageLine));
    int doneUpTo = refs.size();
    List<Planned> carriedOut = new ArrayList<>();
    for (int k = 0; k < planned.size(); k++) {
      Planned p = planned.get(k);
      try {
        for (int n = 0; n < p.names().size(); n++) {
          boolean lastOfBatch = k == planned.size() - 1 && n == p.names().size() - 1;
          // One synchronous deletion, the last, collects the garbage of the whole batch.
          client.deleteImage(p.names().get(n), anyImageGoes && lastOfBatch);
        }
        carriedOut.add(p);
      } catch (EngineException e) {
        results[p.index()] =
            new ImageResult(p.ref(), Outcome.Error, List.of(), List.of(), e.getMessage());
        doneUpTo = p.index() + 1;
        // Arguments after it were planned on a model that assumed it went: not carried out.
        for (int i = doneUpTo; i < refs.size(); i++) results[i] = null;
        break;
      }
    }
    Set<String> snapshotsNow = snapshotsNow(carriedOut);
    Set<String> contentNow = carriedOut.isEmpty() ? Set.of() : client.contentSizes().keySet();
    for (Planned p : carriedOut) {
      RmiResponse done = confirmLayers(p.plan(), snapshotsNow);
      reclaimed[0] += p.space().after(contentNow, done);
      results[p.index()] = done.toResult(p.ref());
    }
    return new Done(results, doneUpTo);
  }

  private List<Planned> plan(
      List<String> refs, boolean force, boolean prune, ImageResult[] results) {
    ImageStoreModel model = state.model();
    Map<String, Long> contentSizes = null; // listed once, when the first image is to go
    List<Planned> planned = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      String ref = refs.get(i);
      RmiResponse local = localRefusal.apply(ref);
      if (local != null) {
        results[i] = local.toResult(ref);
        continue;
      }
      Set<String> imagesBefore = ids(model);
      RmiResponse plan = new RmiPlanner(model).remove(ref, force, prune);
      if (!plan.isOk()) {
        results[i] = plan.toResult(ref);
        continue;
      }
      Set<String> removedImages = new LinkedHashSet<>(imagesBefore);
      removedImages.removeAll(ids(model));
      List<String> names = namesToDelete(plan, removedImages);
      if (contentSizes == null && !removedImages.isEmpty()) contentSizes = client.contentSizes();
      FreedSpace space =
          FreedSpace.before(
              client,
              snapshotter,
              state,
              removedImages,
              plan,
              contentSizes == null ? Map.of() : contentSizes);
      planned.add(new Planned(i, ref, plan, names, space));
    }
    return planned;
  }

  /** The names an answer removes: those untagged, and every name of each image deleted. */
  private List<String> namesToDelete(RmiResponse plan, Set<String> removedImages) {
    List<String> names = new ArrayList<>();
    for (RmiItem item : plan.items()) {
      if (item.kind() == RmiItem.Kind.UNTAGGED) names.add(storedName(item.value()));
    }
    for (String id : removedImages) {
      for (String name : state.namesByImage().getOrDefault(id, List.of())) {
        if (!names.contains(name)) names.add(name);
      }
    }
    // Later arguments must not see these names any more.
    state.namesByImage().values().forEach(list -> list.removeAll(names));
    return names;
  }

  private Set<String> snapshotsNow(List<Planned> carriedOut) {
    boolean anyLayer =
        carriedOut.stream()
            .flatMap(p -> p.plan().items().stream())
            .anyMatch(
                i -> i.kind() == RmiItem.Kind.DELETED && state.snapshots().contains(i.value()));
    if (!anyLayer) return Set.of();
    Set<String> now = new HashSet<>();
    client.listSnapshots(snapshotter).forEach(s -> now.add(s.getName()));
    return now;
  }

  /** Keeps a predicted "Deleted: <layer>" only if that layer's snapshot existed and is gone now. */
  private RmiResponse confirmLayers(RmiResponse plan, Set<String> now) {
    List<RmiItem> items = new ArrayList<>();
    for (RmiItem i : plan.items()) {
      if (i.kind() == RmiItem.Kind.UNTAGGED
          || isImageLine(i)
          || (state.snapshots().contains(i.value()) && !now.contains(i.value()))) {
        items.add(i);
      }
    }
    return RmiResponse.ok(items);
  }

  private boolean isImageLine(RmiItem i) {
    return i.kind() == RmiItem.Kind.DELETED && state.namesByImage().containsKey(i.value());
  }

  /** containerd stores names fully normalized: {@code docker.io/library/busybox:1}. */
  static String storedName(String familiar) {
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
}
