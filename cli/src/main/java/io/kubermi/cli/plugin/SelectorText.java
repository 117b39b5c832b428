package io.kubermi.cli.plugin;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A label selector as kubectl's {@code -l} takes it ({@code tier=web,env!=dev,zone in (a,b),gpu,
 * !spot}) made into the {@code nodeSelector} of an ImageRemoval. Each requirement is matched by a
 * regular expression without nested repetition, in linear time.
 */
final class SelectorText {
  static final int MAX_LENGTH = 4096;
  private static final String KEY = "(?:[a-z0-9A-Z.-]{1,253}/)?[a-z0-9A-Z][-a-z0-9A-Z_.]{0,62}";
  private static final String VALUE = "(?:[a-z0-9A-Z][-a-z0-9A-Z_.]{0,62})?";
  private static final Pattern EQUALS =
      Pattern.compile("\\s*(" + KEY + ")\\s*(==|=|!=)\\s*(" + VALUE + ")\\s*");
  private static final Pattern SET =
      Pattern.compile("\\s*(" + KEY + ")\\s+(in|notin)\\s*\\(([^()]*)\\)\\s*");
  private static final Pattern EXISTS = Pattern.compile("\\s*(!?)\\s*(" + KEY + ")\\s*");
  private static final Pattern VALUE_ONLY = Pattern.compile(VALUE);

  private SelectorText() {}

  static LabelSelector parse(String text) {
    if (text.length() > MAX_LENGTH) {
      throw invalid(text, "longer than " + MAX_LENGTH + " characters");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    List<LabelSelectorRequirement> expressions = new ArrayList<>();
    for (String part : requirements(text)) {
      Matcher m;
      if ((m = EQUALS.matcher(part)).matches()) {
        if (m.group(2).equals("!=")) {
          expressions.add(requirement(m.group(1), "NotIn", List.of(m.group(3))));
        } else {
          labels.put(m.group(1), m.group(3));
        }
      } else if ((m = SET.matcher(part)).matches()) {
        List<String> values = Arrays.stream(m.group(3).split(",", -1)).map(String::strip).toList();
        if (values.stream().anyMatch(v -> v.isEmpty() || !VALUE_ONLY.matcher(v).matches())) {
          throw invalid(text, "invalid value list (" + m.group(3) + ")");
        }
        expressions.add(requirement(m.group(1), m.group(2).equals("in") ? "In" : "NotIn", values));
      } else if ((m = EXISTS.matcher(part)).matches()) {
        expressions.add(
            requirement(m.group(2), m.group(1).isEmpty() ? "Exists" : "DoesNotExist", null));
      } else {
        throw invalid(text, "cannot read \"" + part.strip() + "\"");
      }
    }
    return new LabelSelectorBuilder()
        .withMatchLabels(labels.isEmpty() ? null : labels)
        .withMatchExpressions(expressions.isEmpty() ? null : expressions)
        .build();
  }

  /** The comma-separated requirements, commas inside a value list's parentheses kept. */
  private static List<String> requirements(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') depth++;
      if (c == ')') depth--;
      if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  private static LabelSelectorRequirement requirement(
      String key, String operator, List<String> values) {
    return new LabelSelectorRequirement(key, operator, values);
  }

  private static IllegalArgumentException invalid(String text, String why) {
    String shown = text.length() > 80 ? text.substring(0, 80) + "…" : text;
    return new IllegalArgumentException("-l/--selector: invalid value \"" + shown + "\": " + why);
  }
}
