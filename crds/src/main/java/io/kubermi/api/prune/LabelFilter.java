package io.kubermi.api.prune;

import java.util.List;
import java.util.Map;

/**
 * One of docker's {@code label} / {@code label!} filter values: {@code key} or {@code key=value}.
 */
public record LabelFilter(String key, String value) {
  public static LabelFilter parse(String text) {
    int eq = text.indexOf('=');
    return eq < 0
        ? new LabelFilter(text, null)
        : new LabelFilter(text.substring(0, eq), text.substring(eq + 1));
  }

  /**
   * docker's {@code MatchKVList}: true when every filter matches the labels (an absent key, or a
   * different value, fails it). No filters match anything; filters never match an image without
   * labels.
   */
  public static boolean allMatch(List<LabelFilter> filters, Map<String, String> labels) {
    if (filters.isEmpty()) {
      return true;
    }
    if (labels == null || labels.isEmpty()) {
      return false;
    }
    for (LabelFilter f : filters) {
      String actual = labels.get(f.key);
      if (actual == null || (f.value != null && !f.value.equals(actual))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return value == null ? key : key + "=" + value;
  }
}
