package io.kubermi.operator.status;

import io.kubermi.api.ImageRemovalSpec;
import io.kubermi.api.ImageResult;
import io.kubermi.api.NodeResult;
import io.kubermi.api.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * The images of a removal by name that no targeted node had: each node answered NotFound for it.
 * Absence is not a failure (docker rmi of a missing image changes nothing), but a name found
 * nowhere is most often a typo, so the operator says which.
 */
public final class NotFoundAnywhere {
  /** Names listed at most in a message; the rest are counted. */
  static final int NAMED_AT_MOST = 10;

  private NotFoundAnywhere() {}

  /**
   * The images every node answered NotFound for; empty for a prune, for no nodes, or when a node
   * has no full list of results (it failed before answering, or its status left results out).
   */
  public static List<String> of(ImageRemovalSpec spec, List<NodeResult> nodes) {
    if (spec.isPruning() || spec.getImages() == null || nodes.isEmpty()) return List.of();
    List<String> images = spec.getImages();
    for (NodeResult n : nodes) {
      if (n.getResultsOmitted() != null || n.getResults().size() != images.size()) return List.of();
    }
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      boolean nowhere = true;
      for (NodeResult n : nodes) {
        ImageResult r = n.getResults().get(i);
        if (r.getOutcome() != Outcome.NotFound) {
          nowhere = false;
          break;
        }
      }
      if (nowhere) missing.add(images.get(i));
    }
    return missing;
  }

  /** "a:1, b:2" or "a:1, ... and 5 more". */
  public static String describe(List<String> images) {
    if (images.size() <= NAMED_AT_MOST) return String.join(", ", images);
    return String.join(", ", images.subList(0, NAMED_AT_MOST))
        + " and "
        + (images.size() - NAMED_AT_MOST)
        + " more";
  }
}
