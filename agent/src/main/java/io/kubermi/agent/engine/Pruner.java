package io.kubermi.agent.engine;

import io.kubermi.agent.engine.rules.KeepNewest;
import io.kubermi.agent.engine.rules.PruneOp;
import io.kubermi.agent.engine.rules.PruneResults;
import io.kubermi.agent.engine.rules.PruneSelection;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.api.ImageResult;
import io.kubermi.api.prune.PruneFilters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * docker image prune on any engine: the neutral rules select from the engine's store, the engine
 * carries out each removal with rmi's semantics (on Docker the daemon itself, its answers recorded
 * verbatim), and the answers become one result per image. Pinned images, the engine's protected
 * list and the caller's exclusions are never selected.
 */
public final class Pruner {
  private Pruner() {}

  /**
   * The removals docker image prune would make on the engine's store as it is now, never touching
   * an image the engine protects or one with a reference matching an {@code exclude} glob.
   */
  public static List<PruneOp> plan(Engine engine, PruneFilters filters, List<String> exclude) {
    return plan(engine.listing(), engine, filters, exclude, PrunePolicy.NONE);
  }

  /**
   * The same from {@code store} (the engine's, as just read), also never selecting what the {@code
   * policy} keeps: the newest of each repository ({@link KeepNewest}) and images used too recently.
   */
  public static List<PruneOp> plan(
      ImageStoreModel store,
      Engine engine,
      PruneFilters filters,
      List<String> exclude,
      PrunePolicy policy) {
    ProtectedImages untouched = untouched(engine.protectedImages(), exclude);
    Set<String> systemImages = untouched.systemImages(store);
    Set<String> newest =
        policy.keepNewest() == null ? Set.of() : KeepNewest.of(store, policy.keepNewest());
    return PruneSelection.plan(
        store,
        filters,
        id ->
            store.isPinned(id)
                || systemImages.contains(id)
                || newest.contains(id)
                || usedTooRecently(store, id, policy)
                || untouched.match(id, store.referencesOf(id)).isPresent());
  }

  private static boolean usedTooRecently(ImageStoreModel store, String id, PrunePolicy policy) {
    if (policy.unusedFor() == null) return false;
    Instant unusedSince = policy.lastUse().unusedSince(store.image(id), policy.now());
    return unusedSince.plus(policy.unusedFor()).isAfter(policy.now());
  }

  /** Carries the removals out (or plans them, for a dry run): one result per image touched. */
  public static List<ImageResult> run(Engine engine, List<PruneOp> ops, boolean dryRun) {
    if (ops.isEmpty()) {
      return List.of();
    }
    List<ImageResult> answers =
        engine.remove(arguments(ops), new RemovalOptions(false, false, List.of(), dryRun));
    return PruneResults.of(ops, answers);
  }

  /** The rmi arguments of the removals, in order. */
  public static List<String> arguments(List<PruneOp> ops) {
    List<String> args = new ArrayList<>(ops.size());
    ops.forEach(o -> args.add(o.argument()));
    return args;
  }

  /** The protected list plus a prune's exclusions: what a prune never selects. */
  static ProtectedImages untouched(ProtectedImages protectedImages, List<String> exclude) {
    return protectedImages.withGlobs(exclude == null ? List.of() : exclude);
  }
}
