package io.kubermi.api.validation;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.kubermi.api.ImageBytesThreshold;
import io.kubermi.api.ImageRemovalSpec;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.PruneSpec;
import io.kubermi.api.RemovalParameters;
import io.kubermi.api.prune.ByteQuantity;
import io.kubermi.api.prune.InvalidFilterException;
import io.kubermi.api.prune.UntilTime;
import io.kubermi.api.prune.UnusedFor;
import io.kubermi.api.reference.ReferenceGrammar;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one validator of an ImageRemoval spec, used by the operator (the API server may not have
 * validated: the CRD schema can be bypassed or missing) and by the command line. It enforces the
 * CRD schema's rules plus what a schema cannot say (docker's name length, label selector rules).
 */
public final class SpecValidator {
  private static final Pattern PLATFORM = Pattern.compile(ReferenceGrammar.PLATFORM);
  private static final Pattern NODE_NAME = Pattern.compile(ReferenceGrammar.NODE_NAME);
  private static final Pattern LABEL_NAME =
      Pattern.compile("^([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$");
  private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");
  private static final Pattern PERCENT = Pattern.compile("^(\\d{1,3})%$");

  private SpecValidator() {}

  /**
   * All problems of an ImageRemoval spec, each naming the field, the index and the value; empty
   * when valid.
   */
  public static List<String> validate(ImageRemovalSpec spec) {
    List<String> errors = new ArrayList<>();
    if (spec == null) {
      errors.add("spec: required");
      return errors;
    }
    validateParameters(spec, "spec", errors);
    validateNodeNames(spec.getNodeNames(), errors);
    validateSelector(spec.getNodeSelector(), errors);
    Integer timeout = spec.getNodeTimeoutSeconds();
    if (timeout != null && (timeout < 1 || timeout > KubeRmi.MAX_NODE_TIMEOUT_SECONDS)) {
      errors.add(
          "spec.nodeTimeoutSeconds: invalid value "
              + timeout
              + ": must be between 1 and "
              + KubeRmi.MAX_NODE_TIMEOUT_SECONDS);
    }
    Integer ttl = spec.getTtlSecondsAfterFinished();
    if (ttl != null && ttl < 0) {
      errors.add("spec.ttlSecondsAfterFinished: invalid value " + ttl + ": must be 0 or more");
    }
    validateMaxFailedNodes(spec.getMaxFailedNodes(), errors);
    return errors;
  }

  /**
   * How many of {@code targeted} nodes may fail: the count, or the percentage rounded down; 0 when
   * unset. The value must have passed validation.
   */
  public static int failureBudget(IntOrString maxFailedNodes, int targeted) {
    if (maxFailedNodes == null) {
      return 0;
    }
    if (maxFailedNodes.getIntVal() != null) {
      return maxFailedNodes.getIntVal();
    }
    var m = PERCENT.matcher(maxFailedNodes.getStrVal());
    return m.matches() ? (int) ((long) targeted * Integer.parseInt(m.group(1)) / 100) : 0;
  }

  private static void validateMaxFailedNodes(IntOrString value, List<String> errors) {
    if (value == null) {
      return;
    }
    if (value.getIntVal() != null) {
      if (value.getIntVal() < 0) {
        errors.add(
            "spec.maxFailedNodes: invalid value " + value.getIntVal() + ": must be 0 or more");
      }
      return;
    }
    String text = value.getStrVal();
    var m = text == null ? null : PERCENT.matcher(text);
    if (m == null || !m.matches() || Integer.parseInt(m.group(1)) > 100) {
      errors.add(
          "spec.maxFailedNodes: invalid value "
              + quote(text)
              + ": must be a count (e.g. 2) or a percentage from 0% to 100% (e.g. \"5%\")");
    }
  }

  /**
   * Problems of the docker rmi parameters alone (what a NodeImageRemoval or the rmi command
   * carries).
   */
  public static List<String> validateParameters(
      RemovalParameters params, String path, List<String> errors) {
    List<String> images = params.getImages();
    boolean hasImages = images != null && !images.isEmpty();
    if (params.getPrune() != null) {
      if (hasImages) {
        errors.add(
            path
                + ": exactly one of "
                + path
                + ".images and "
                + path
                + ".prune must be set, not both");
      }
      validatePrune(params, path, errors);
    } else if (!hasImages) {
      errors.add(
          path + ".images: required: list at least one image, or set " + path + ".prune instead");
    } else {
      if (images.size() > KubeRmi.MAX_IMAGES) {
        errors.add(
            path + ".images: too many items: " + images.size() + ", at most " + KubeRmi.MAX_IMAGES);
      }
      for (int i = 0; i < images.size(); i++) {
        String problem = ImageReferenceRule.check(images.get(i));
        if (problem != null) {
          errors.add(
              path + ".images[" + i + "]: invalid value " + quote(images.get(i)) + ": " + problem);
        }
      }
    }
    List<String> platforms = params.getPlatforms();
    checkCount(path + ".platforms", platforms, KubeRmi.MAX_PLATFORMS, errors);
    for (int i = 0; platforms != null && i < platforms.size(); i++) {
      String p = platforms.get(i);
      if (p == null
          || p.length() > ReferenceGrammar.PLATFORM_MAX_LENGTH
          || !PLATFORM.matcher(p).matches()) {
        errors.add(
            path
                + ".platforms["
                + i
                + "]: invalid value "
                + quote(p)
                + ": must be os[/arch[/variant]] in lowercase, e.g. linux/arm64/v8");
      }
    }
    return errors;
  }

  private static void validatePrune(RemovalParameters params, String path, List<String> errors) {
    PruneSpec prune = params.getPrune();
    String p = path + ".prune";
    if (params.isForce()) {
      errors.add(path + ".force: must not be set with " + p + " (docker image prune never forces)");
    }
    if (params.isNoPrune()) {
      errors.add(path + ".noPrune: must not be set with " + p);
    }
    if (params.getPlatforms() != null && !params.getPlatforms().isEmpty()) {
      errors.add(path + ".platforms: must not be set with " + p);
    }
    String until = prune.getUntil();
    if (until != null && until.length() > KubeRmi.UNTIL_MAX_LENGTH) {
      errors.add(
          p
              + ".until: invalid value of "
              + until.length()
              + " characters: at most "
              + KubeRmi.UNTIL_MAX_LENGTH);
    } else if (until != null) {
      try {
        UntilTime.parse(until, Instant.now(), ZoneOffset.UTC);
      } catch (InvalidFilterException e) {
        errors.add(
            p
                + ".until: invalid value "
                + quote(until)
                + ": "
                + e.getMessage()
                + " (a Go duration such as 168h, or an RFC 3339 time)");
      }
    }
    checkLabelFilters(p + ".labels", prune.getLabels(), errors);
    checkLabelFilters(p + ".labelsNot", prune.getLabelsNot(), errors);
    List<String> exclude = prune.getExclude();
    for (int i = 0; exclude != null && i < exclude.size(); i++) {
      String g = exclude.get(i);
      if (g == null || g.isBlank() || g.length() > KubeRmi.GLOB_MAX_LENGTH) {
        errors.add(
            p
                + ".exclude["
                + i
                + "]: invalid value "
                + quote(g)
                + ": must be a reference glob of 1 to "
                + KubeRmi.GLOB_MAX_LENGTH
                + " characters, e.g. registry.k8s.io/*");
      }
    }
    Integer keep = prune.getKeepNewest();
    if (keep != null && (keep < 1 || keep > KubeRmi.KEEP_NEWEST_MAX)) {
      errors.add(
          p
              + ".keepNewest: invalid value "
              + keep
              + ": must be 1 to "
              + KubeRmi.KEEP_NEWEST_MAX
              + " (images kept per repository)");
    }
    checkUnusedFor(p + ".unusedFor", prune.getUnusedFor(), errors);
    checkImageBytes(p + ".imageBytes", prune.getImageBytes(), errors);
  }

  private static void checkImageBytes(
      String field, ImageBytesThreshold threshold, List<String> errors) {
    if (threshold == null) return;
    Optional<Long> high = bytes(field + ".high", threshold.getHigh(), errors);
    Optional<Long> low = bytes(field + ".low", threshold.getLow(), errors);
    if (high.isPresent() && low.isPresent() && low.get() >= high.get()) {
      errors.add(
          field
              + ".low: invalid value "
              + quote(threshold.getLow())
              + ": must be below high ("
              + threshold.getHigh()
              + ")");
    }
  }

  private static Optional<Long> bytes(String field, String text, List<String> errors) {
    if (text == null) {
      errors.add(field + ": Required value: a quantity of bytes such as 20Gi");
      return Optional.empty();
    }
    Optional<Long> bytes = ByteQuantity.parse(text);
    if (bytes.isEmpty()) {
      errors.add(
          field
              + ": invalid value "
              + (text.length() > KubeRmi.QUANTITY_MAX_LENGTH
                  ? "of " + text.length() + " characters"
                  : quote(text))
              + ": must be a quantity of bytes of at most "
              + KubeRmi.QUANTITY_MAX_LENGTH
              + " characters, such as 20Gi or 500M");
    }
    return bytes;
  }

  private static void checkUnusedFor(String field, String unusedFor, List<String> errors) {
    if (unusedFor == null) return;
    if (unusedFor.length() > KubeRmi.UNTIL_MAX_LENGTH) {
      errors.add(
          field
              + ": invalid value of "
              + unusedFor.length()
              + " characters: at most "
              + KubeRmi.UNTIL_MAX_LENGTH);
      return;
    }
    if (UnusedFor.parse(unusedFor).isEmpty()) {
      errors.add(
          field
              + ": invalid value "
              + quote(unusedFor)
              + ": must be a Go duration from 1m to 87600h, e.g. 168h");
    }
  }

  /** A list or set of at most {@code max} items. */
  private static void checkCount(String field, Collection<?> items, int max, List<String> errors) {
    if (items != null && items.size() > max) {
      errors.add(field + ": too many items: " + items.size() + ", at most " + max);
    }
  }

  private static void checkLabelFilters(String field, List<String> filters, List<String> errors) {
    for (int i = 0; filters != null && i < filters.size(); i++) {
      String f = filters.get(i);
      if (f == null || f.isEmpty() || f.startsWith("=")) {
        errors.add(field + "[" + i + "]: invalid value " + quote(f) + ": must be key or key=value");
      } else if (f.length() > KubeRmi.LABEL_FILTER_MAX_LENGTH) {
        errors.add(
            field
                + "["
                + i
                + "]: invalid value of "
                + f.length()
                + " characters: at most "
                + KubeRmi.LABEL_FILTER_MAX_LENGTH);
      }
    }
  }

  private static void validateNodeNames(List<String> names, List<String> errors) {
    checkCount("spec.nodeNames", names, KubeRmi.MAX_NODE_NAMES, errors);
    for (int i = 0; names != null && i < names.size(); i++) {
      String n = names.get(i);
      if (n == null
          || n.length() > ReferenceGrammar.NODE_NAME_MAX_LENGTH
          || !NODE_NAME.matcher(n).matches()) {
        errors.add(
            "spec.nodeNames["
                + i
                + "]: invalid value "
                + quote(n)
                + ": must be a node name (lowercase DNS subdomain, at most 253 characters)");
      }
    }
  }

  private static void validateSelector(LabelSelector selector, List<String> errors) {
    if (selector == null) {
      return;
    }
    if (selector.getMatchLabels() != null) {
      checkCount(
          "spec.nodeSelector.matchLabels",
          selector.getMatchLabels().keySet(),
          KubeRmi.MAX_SELECTOR_TERMS,
          errors);
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        String field = "spec.nodeSelector.matchLabels[" + e.getKey() + "]";
        checkLabelKey(field, e.getKey(), errors);
        checkLabelValue(field, e.getValue(), errors);
      }
    }
    List<LabelSelectorRequirement> exprs = selector.getMatchExpressions();
    checkCount("spec.nodeSelector.matchExpressions", exprs, KubeRmi.MAX_SELECTOR_TERMS, errors);
    for (int i = 0; exprs != null && i < exprs.size(); i++) {
      LabelSelectorRequirement r = exprs.get(i);
      String field = "spec.nodeSelector.matchExpressions[" + i + "]";
      checkLabelKey(field + ".key", r.getKey(), errors);
      String op = r.getOperator();
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      checkCount(field + ".values", values, KubeRmi.MAX_SELECTOR_VALUES, errors);
      if (!OPERATORS.contains(op)) {
        errors.add(
            field
                + ".operator: invalid value "
                + quote(op)
                + ": must be one of In, NotIn, Exists, DoesNotExist");
      } else if ((op.equals("In") || op.equals("NotIn")) && values.isEmpty()) {
        errors.add(field + ".values: required for operator " + op);
      } else if ((op.equals("Exists") || op.equals("DoesNotExist")) && !values.isEmpty()) {
        errors.add(field + ".values: must be empty for operator " + op);
      }
      for (int j = 0; j < values.size(); j++) {
        checkLabelValue(field + ".values[" + j + "]", values.get(j), errors);
      }
    }
  }

  private static void checkLabelKey(String field, String key, List<String> errors) {
    String name = key == null ? "" : key;
    int slash = name.indexOf('/');
    String prefix = slash < 0 ? null : name.substring(0, slash);
    String local = slash < 0 ? name : name.substring(slash + 1);
    boolean prefixOk =
        prefix == null
            || (prefix.length() <= ReferenceGrammar.NODE_NAME_MAX_LENGTH
                && NODE_NAME.matcher(prefix).matches());
    if (!prefixOk || !LABEL_NAME.matcher(local).matches()) {
      errors.add(
          field
              + ": invalid label key "
              + quote(key)
              + ": must be [prefix/]name, name at most 63 characters");
    }
  }

  private static void checkLabelValue(String field, String value, List<String> errors) {
    if (value == null || !LABEL_VALUE.matcher(value).matches()) {
      errors.add(
          field
              + ": invalid label value "
              + quote(value)
              + ": at most 63 alphanumeric, '-', '_' or '.' characters");
    }
  }

  /** Quotes a value for an error message, escaping what would garble a terminal or a log line. */
  static String quote(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            c -> {
              if (c == '"' || c == '\\') {
                b.append('\\').appendCodePoint(c);
              } else if (c < 0x20 || c == 0x7f || Character.getType(c) == Character.FORMAT) {
                b.append(String.format("\\u%04x", c));
              } else {
                b.appendCodePoint(c);
              }
            });
    return b.append('"').toString();
  }
}
