package io.kubermi.agent.engine.rules;

import io.kubermi.api.ImageResult;
import io.kubermi.api.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker image prune's report from the answers to its removals: one result per image that lost
 * anything, named by its ID, with every untagged and deleted line of its removals. Conflicts and
 * images already gone are skipped silently, as docker's prune skips them; an engine error is kept,
 * so a node that could not prune says so.
 */
public final class PruneResults {
  private PruneResults() {}

  /** {@code answers.get(i)} is the answer to {@code ops.get(i)}. */
  public static List<ImageResult> of(List<PruneOp> ops, List<ImageResult> answers) {
    Map<String, ImageResult> byImage = new LinkedHashMap<>();
    List<ImageResult> errors = new ArrayList<>();
    for (int i = 0; i < answers.size(); i++) {
      ImageResult a = answers.get(i);
      String image = ops.get(i).imageId();
      if (a.getOutcome() == Outcome.Removed) {
        ImageResult r =
            byImage.computeIfAbsent(
                image, id -> new ImageResult(id, Outcome.Removed, List.of(), List.of(), null));
        r.getUntagged().addAll(a.getUntagged());
        r.getDeleted().addAll(a.getDeleted());
        if (a.getMessage() != null) r.setMessage(a.getMessage()); // recovered from the journal
      } else if (a.getOutcome() == Outcome.Error) {
        errors.add(new ImageResult(image, Outcome.Error, List.of(), List.of(), a.getMessage()));
      }
    }
    List<ImageResult> results = new ArrayList<>(byImage.values());
    results.addAll(errors);
    return results;
  }

  /** Results of two parts of one prune, one per image: an image in both gets both parts' lines. */
  public static List<ImageResult> merge(List<ImageResult> first, List<ImageResult> second) {
    Map<String, ImageResult> byImage = new LinkedHashMap<>();
    List<ImageResult> errors = new ArrayList<>();
    for (ImageResult r : concat(first, second)) {
      if (r.getOutcome() != Outcome.Removed) {
        errors.add(r);
        continue;
      }
      ImageResult m =
          byImage.computeIfAbsent(
              r.getImage(),
              id -> new ImageResult(id, Outcome.Removed, List.of(), List.of(), r.getMessage()));
      m.getUntagged().addAll(r.getUntagged());
      m.getDeleted().addAll(r.getDeleted());
    }
    List<ImageResult> results = new ArrayList<>(byImage.values());
    results.addAll(errors);
    return results;
  }

  private static List<ImageResult> concat(List<ImageResult> a, List<ImageResult> b) {
    List<ImageResult> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
