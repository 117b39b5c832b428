package io.kubermi.agent.engine.rules;

import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.api.prune.PruneFilters;
import io.kubermi.api.reference.DockerReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * docker image prune's selection (docs/semantics.md §12), over an {@link ImageStoreModel}: which
 * images are candidates and which unforced removals prune makes of each. The removals themselves
 * follow rmi's rules, on the engine or on the {@link RmiPlanner}; a removal that conflicts is
 * skipped, as docker's prune skips it.
 */
public final class PruneSelection {
  private PruneSelection() {}

  /**
   * The removals, candidate by candidate (each candidate's references in docker's order).
   *
   * @param untouchable images never selected: pinned, protected or excluded by the caller
   */
  public static List<PruneOp> plan(
      ImageStoreModel store, PruneFilters filters, Predicate<String> untouchable) {
    List<PruneOp> ops = new ArrayList<>();
    for (StoredImage image : store.images()) {
      if (!isCandidate(store, image, filters) || untouchable.test(image.id())) {
        continue;
      }
      List<DockerReference> refs = store.referencesOf(image.id());
      if (refs.isEmpty()) {
        ops.add(new PruneOp(image.id().substring(image.id().indexOf(':') + 1), image.id()));
      } else if (!filters.danglingOnly() || refs.stream().allMatch(DockerReference::hasDigest)) {
        // Dangling means without a tag: an image known only by repo@digest counts as dangling.
        refs.forEach(r -> ops.add(new PruneOp(r.toString(), image.id())));
      }
    }
    return ops;
  }

  private static boolean isCandidate(
      ImageStoreModel store, StoredImage image, PruneFilters filters) {
    boolean hasChildren = !store.childrenOf(image.id()).isEmpty();
    if (filters.danglingOnly() && hasChildren) {
      return false; // dangling mode starts from the heads: images without children
    }
    if (hasChildren && store.referencesOf(image.id()).isEmpty()) {
      return false; // an intermediate image goes only with its child
    }
    if (filters.until() != null
        && image.created() != null
        && image.created().isAfter(filters.until())) {
      return false;
    }
    return filters.labelsMatch(image.labels());
  }
}
