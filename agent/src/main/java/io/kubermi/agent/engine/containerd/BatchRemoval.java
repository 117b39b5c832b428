package io.kubermi.agent.engine.containerd;

import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.rules.DependencyGroups;
import io.kubermi.agent.engine.rules.RmiItem;
import io.kubermi.agent.engine.rules.RmiPlanner;
import io.kubermi.agent.engine.rules.RmiResponse;
import io.kubermi.agent.engine.store.ImageStoreModel;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Removes a run of rmi arguments on containerd the way {@code ctr images rm} is fast: every
 * argument is planned first on the live model (the neutral rules say which names go and which
 * layers each deletion frees), then all their names are deleted with one garbage collection at the
 * end instead of one per image, and each argument's predicted layer lines are confirmed against
 * what that collection really freed: a layer still there (held by a lease, say) is never claimed.
 * Arguments that cannot affect each other ({@link DependencyGroups}) have their names deleted
 * concurrently, each group in argument order. When a deletion fails, that argument is an Error and
 * the later arguments of its group are left to the caller, which reads the store again.
 */
final class BatchRemoval {
  /**
   * Groups whose deletions are in flight at once, each group one call at a time. The calls are
   * asynchronous on the channel's one connection: with a blocking call per thread, the client's
   * cost per call was most of a run (149 deletions: 117-158 ms on four threads, 89-118 ms all in
   * flight, warm, on the project's two-core machine), and more threads did not help.
   */
  static final int GROUPS_IN_FLIGHT = 64;

  /** One argument planned: its answer as predicted, the names to delete, what it may free. */
  private record Planned(
      int index, String ref, RmiResponse plan, List<String> names, FreedSpace space) {}

  private final ContainerdClient client;
  private final String snapshotter;
  private final ContainerdState state;
  private final Function<String, RmiResponse> localRefusal;
  private final boolean countBytes;

  /**
   * @param countBytes measure what the removal frees; without it, {@code reclaimed} stays as it is
   *     and no size is read
   */
  BatchRemoval(
      ContainerdClient client,
      String snapshotter,
      ContainerdState state,
      Function<String, RmiResponse> localRefusal,
      boolean countBytes) {
    this.client = client;
    this.snapshotter = snapshotter;
    this.state = state;
    this.localRefusal = localRefusal;
    this.countBytes = countBytes;
  }

  /**
   * Plans and carries out {@code refs}; adds the bytes freed to {@code reclaimed[0]}. One result
   * per argument; null for an argument not carried out (after a failed deletion in its group). The
   * plan, one answer per argument, goes to {@code beforeChanging} before the first deletion.
   */
  ImageResult[] run(
      List<String> refs,
      boolean force,
      boolean prune,
      long[] reclaimed,
      Consumer<List<ImageResult>> beforeChanging) {
    ImageResult[] results = new ImageResult[refs.size()];
    // From the store as read: planning changes the model.
    List<List<Integer>> groups = DependencyGroups.of(state.model(), refs);
    Planned[] planned = plan(refs, force, prune, results);
    beforeChanging.accept(answersPlanned(refs, planned, results));
    Planned last = null;
    boolean anyImageGoes = false;
    Set<String> layers = new LinkedHashSet<>();
    for (Planned p : planned) {
      if (p == null) continue;
      last = p;
      anyImageGoes |= p.plan().items().stream().anyMatch(this::isImageLine);
      if (countBytes) layers.addAll(FreedSpace.plannedLayers(p.plan(), state));
    }
    // Read before anything is deleted: garbage collection takes the snapshots with their sizes.
    Map<String, Long> layerUsage = FreedSpace.layerUsage(client, snapshotter, layers);
    // One synchronous deletion, the batch's very last, collects the garbage of the whole batch.
    String collecting = anyImageGoes ? last.names().get(last.names().size() - 1) : null;
    Set<Integer> reached = deleteByGroup(groups, planned, results, collecting);
    if (collecting != null && reached.contains(last.index())) {
      try {
        client.deleteImage(collecting, true);
      } catch (EngineException e) {
        reached.remove(last.index());
        results[last.index()] = error(last, e);
      }
    }
    List<Planned> carriedOut = new ArrayList<>();
    for (Planned p : planned) {
      if (p != null && reached.contains(p.index())) carriedOut.add(p);
    }
    Set<String> snapshotsNow = snapshotsNow(carriedOut);
    Set<String> contentNow =
        carriedOut.isEmpty() || !countBytes ? Set.of() : client.contentSizes().keySet();
    for (Planned p : carriedOut) {
      RmiResponse done = confirmLayers(p.plan(), snapshotsNow);
      if (countBytes) reclaimed[0] += p.space().after(contentNow, done, layerUsage);
      results[p.index()] = done.toResult(p.ref());
    }
    return results;
  }

  /**
   * Deletes the planned names, groups in parallel, except {@code held}; the arguments whose names
   * were all deleted. A failed deletion makes its argument an Error and leaves the rest of its
   * group undone (null), since they were planned on a model that assumed it went. Waits for every
   * call started: an engine call is never abandoned, or what the engine did would be unknown.
   */
  private Set<Integer> deleteByGroup(
      List<List<Integer>> groups, Planned[] planned, ImageResult[] results, String held) {
    Set<Integer> reached = ConcurrentHashMap.newKeySet();
    Semaphore window = new Semaphore(GROUPS_IN_FLIGHT);
    List<CompletableFuture<Boolean>> chains = new ArrayList<>();
    for (List<Integer> group : groups) {
      window.acquireUninterruptibly();
      CompletableFuture<Boolean> chain = CompletableFuture.completedFuture(true);
      for (int i : group) {
        chain =
            chain.thenCompose(
                going -> {
                  if (!going) {
                    results[i] = null;
                    return CompletableFuture.completedFuture(false);
                  }
                  Planned p = planned[i];
                  if (p == null) return CompletableFuture.completedFuture(true); // answered already
                  return deleteNames(p, held, results, reached);
                });
      }
      chain.whenComplete((going, failure) -> window.release());
      chains.add(chain);
    }
    try {
      CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    return reached;
  }

  /**
   * Deletes one argument's names one after another: true when all went, false when one failed (the
   * argument is then an Error). Anything but the engine's failure fails the whole batch.
   */
  private CompletableFuture<Boolean> deleteNames(
      Planned p, String held, ImageResult[] results, Set<Integer> reached) {
    CompletableFuture<Void> names = CompletableFuture.completedFuture(null);
    for (String name : p.names()) {
      if (!name.equals(held)) names = names.thenCompose(done -> client.deleteImageAsync(name));
    }
    return names.handle(
        (done, failure) -> {
          if (failure == null) {
            reached.add(p.index());
            return true;
          }
          Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
          if (cause instanceof EngineException e) {
            results[p.index()] = error(p, e);
            return false;
          }
          throw failure instanceof CompletionException c ? c : new CompletionException(cause);
        });
  }

  /** Each argument's answer as planned: refused or failed already, else the plan's lines. */
  private static List<ImageResult> answersPlanned(
      List<String> refs, Planned[] planned, ImageResult[] answered) {
    List<ImageResult> answers = new ArrayList<>(refs.size());
    for (int i = 0; i < refs.size(); i++) {
      answers.add(answered[i] != null ? answered[i] : planned[i].plan().toResult(refs.get(i)));
    }
    return answers;
  }

  private static ImageResult error(Planned p, EngineException e) {
    return new ImageResult(p.ref(), Outcome.Error, List.of(), List.of(), e.getMessage());
  }

  /** Each argument planned in order on the live model, by index; null when answered already. */
  private Planned[] plan(List<String> refs, boolean force, boolean prune, ImageResult[] results) {
    ImageStoreModel model = state.model();
    Map<String, Long> contentSizes = null; // listed once, when the first image is to go
    Planned[] planned = new Planned[refs.size()];
    for (int i = 0; i < refs.size(); i++) {
      String ref = refs.get(i);
      RmiResponse local = localRefusal.apply(ref);
      if (local != null) {
        results[i] = local.toResult(ref);
        continue;
      }
      RmiResponse plan = new RmiPlanner(model).remove(ref, force, prune);
      if (!plan.isOk()) {
        results[i] = plan.toResult(ref);
        continue;
      }
      Set<String> removedImages = new LinkedHashSet<>();
      for (RmiItem item : plan.items()) {
        if (isImageLine(item)) removedImages.add(item.value());
      }
      List<String> names = namesToDelete(plan, removedImages);
      if (countBytes && contentSizes == null && !removedImages.isEmpty()) {
        contentSizes = client.contentSizes();
      }
      FreedSpace space =
          FreedSpace.before(state, removedImages, contentSizes == null ? Map.of() : contentSizes);
      planned[i] = new Planned(i, ref, plan, names, space);
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
}
