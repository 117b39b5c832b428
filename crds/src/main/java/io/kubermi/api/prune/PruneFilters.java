package io.kubermi.api.prune;

import io.kubermi.api.PruneSpec;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * docker image prune's filters, read as the daemon reads them: dangling only (the default) or every
 * image ({@code -a}), created before {@code until}, with every {@code label}, and not with every
 * {@code label!}.
 */
public record PruneFilters(
    boolean danglingOnly, Instant until, List<LabelFilter> labels, List<LabelFilter> labelsNot) {
  public PruneFilters {
    labels = List.copyOf(labels);
    labelsNot = List.copyOf(labelsNot);
  }

  /** The filters of a spec.prune; {@code now} anchors a duration. */
  public static PruneFilters of(PruneSpec spec, Instant now, ZoneId zone)
      throws InvalidFilterException {
    Instant until =
        spec.getUntil() == null || spec.getUntil().isEmpty()
            ? null
            : UntilTime.parse(spec.getUntil(), now, zone);
    return new PruneFilters(
        !spec.isAll(), until, parseAll(spec.getLabels()), parseAll(spec.getLabelsNot()));
  }

  /**
   * The filters of a docker image prune command line: {@code -a} and each {@code --filter
   * name=value}, with the daemon's errors for a filter it does not know or cannot read.
   */
  public static PruneFilters ofCommandLine(
      boolean all, List<String> filters, Instant now, ZoneId zone) throws InvalidFilterException {
    List<String> dangling = new ArrayList<>(all ? List.of("false") : List.of());
    List<String> untils = new ArrayList<>();
    List<LabelFilter> labels = new ArrayList<>();
    List<LabelFilter> labelsNot = new ArrayList<>();
    for (String f : filters) {
      int eq = f.indexOf('=');
      if (eq < 0) {
        throw new InvalidFilterException("bad format of filter (expected name=value)");
      }
      String name = f.substring(0, eq).trim().toLowerCase();
      String value = f.substring(eq + 1);
      switch (name) {
        case "dangling" -> dangling.add(value);
        case "until" -> untils.add(value);
        case "label" -> labels.add(LabelFilter.parse(value));
        case "label!" -> labelsNot.add(LabelFilter.parse(value));
        default -> throw new InvalidFilterException("Invalid filter '" + name + "'");
      }
    }
    if (untils.size() > 1) {
      throw new InvalidFilterException("more than one until filter specified");
    }
    Instant until = untils.isEmpty() ? null : UntilTime.parse(untils.get(0), now, zone);
    return new PruneFilters(danglingOnly(dangling), until, labels, labelsNot);
  }

  /** The 20.10 daemon prunes every image for dangling=false or 0, and dangling ones otherwise. */
  private static boolean danglingOnly(List<String> values) {
    return !(values.contains("false") || values.contains("0"));
  }

  /** docker's label match: every label filter holds, and not every label! filter does. */
  public boolean labelsMatch(Map<String, String> imageLabels) {
    if (!LabelFilter.allMatch(labels, imageLabels)) {
      return false;
    }
    return labelsNot.isEmpty() || !LabelFilter.allMatch(labelsNot, imageLabels);
  }

  private static List<LabelFilter> parseAll(List<String> texts) {
    return texts == null ? List.of() : texts.stream().map(LabelFilter::parse).toList();
  }
}
