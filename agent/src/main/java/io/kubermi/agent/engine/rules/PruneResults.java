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
 * so a node that could not prune says so. A dry run's bytes per removal are summed per image.
 */
public final class PruneResults {
  private PruneResults() {}

  /** {@code answers.get(i)} is the answer to {@code ops.get(i)}. */
  public static List<ImageResult> of(List<PruneOp> ops, List<ImageResult> answers) {
    List<ImageResult> perOp = new ArrayList<>();
    for (int i = 0; i < answers.size(); i++) {
      ImageResult a = answers.get(i);
      if (a.getOutcome() == Outcome.Removed || a.getOutcome() == Outcome.Error) {
        String image = ops.get(i).imageId();
        ImageResult r =
            new ImageResult(image, a.getOutcome(), a.getUntagged(), a.getDeleted(), a.getMessage());
        r.setReclaimableBytes(a.getReclaimableBytes());
        perOp.add(r);
      }
    }
    return byImage(perOp);
  }

  /** Results of two parts of one prune, one per image: an image in both gets both parts' lines. */
  public static List<ImageResult> merge(List<ImageResult> first, List<ImageResult> second) {
    List<ImageResult> all = new ArrayList<>(first);
    all.addAll(second);
    return byImage(all);
  }

  /**
   * One Removed result per image with all its lines, in first-seen order (the first message kept:
   * it says the lines were recovered from the journal), then the errors.
   */
  private static List<ImageResult> byImage(List<ImageResult> results) {
    Map<String, ImageResult> removed = new LinkedHashMap<>();
    List<ImageResult> errors = new ArrayList<>();
    for (ImageResult r : results) {
      if (r.getOutcome() != Outcome.Removed) {
        errors.add(r);
        continue;
      }
      ImageResult m =
          removed.computeIfAbsent(
              r.getImage(), id -> new ImageResult(id, Outcome.Removed, List.of(), List.of(), null));
      m.getUntagged().addAll(r.getUntagged());
      m.getDeleted().addAll(r.getDeleted());
      if (r.getReclaimableBytes() != null) {
        m.setReclaimableBytes(
            (m.getReclaimableBytes() == null ? 0 : m.getReclaimableBytes())
                + r.getReclaimableBytes());
      }
      if (m.getMessage() == null) m.setMessage(r.getMessage());
    }
    List<ImageResult> out = new ArrayList<>(removed.values());
    out.addAll(errors);
    return out;
  }
}
