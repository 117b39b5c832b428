package io.kubermi.api.validation;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.kubermi.api.ImageRemovalSpec;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.RemovalParameters;
import io.kubermi.api.reference.ReferenceGrammar;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    return errors;
  }

  /**
   * Problems of the docker rmi parameters alone (what a NodeImageRemoval or the rmi command
   * carries).
   */
  public static List<String> validateParameters(
      RemovalParameters params, String path, List<String> errors) {
    List<String> images = params.getImages();
    if (images == null || images.isEmpty()) {
      errors.add(path + ".images: required: list at least one image");
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

  private static void validateNodeNames(List<String> names, List<String> errors) {
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
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        String field = "spec.nodeSelector.matchLabels[" + e.getKey() + "]";
        checkLabelKey(field, e.getKey(), errors);
        checkLabelValue(field, e.getValue(), errors);
      }
    }
    List<LabelSelectorRequirement> exprs = selector.getMatchExpressions();
    for (int i = 0; exprs != null && i < exprs.size(); i++) {
      LabelSelectorRequirement r = exprs.get(i);
      String field = "spec.nodeSelector.matchExpressions[" + i + "]";
      checkLabelKey(field + ".key", r.getKey(), errors);
      String op = r.getOperator();
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
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
