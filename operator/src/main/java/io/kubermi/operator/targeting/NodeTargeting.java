package io.kubermi.operator.targeting;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import io.kubermi.api.ImageRemovalSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which nodes an ImageRemoval targets: those nodeSelector matches plus those nodeNames lists; with
 * neither, every node. A listed name with no Node object is reported, not silently dropped. Nodes
 * the administrator's exclusion matches (the operator's setting, e.g. control-plane nodes) are
 * never targeted, whatever the spec says, and are reported as excluded.
 */
public final class NodeTargeting {
  /**
   * Existing targeted nodes, listed names that have no Node, and nodes the spec would have targeted
   * that the exclusion kept out, all sorted.
   */
  public record Targets(Set<String> nodes, Set<String> missing, Set<String> excluded) {
    public Targets(Set<String> nodes, Set<String> missing) {
      this(nodes, missing, Set.of());
    }
  }

  private NodeTargeting() {}

  public static Targets resolve(ImageRemovalSpec spec, List<Node> nodes) {
    return resolve(spec, nodes, null);
  }

  /**
   * @param exclusion nodes never targeted; null or an empty selector excludes none (an empty
   *     Kubernetes selector would match every node, which no administrator means here)
   */
  public static Targets resolve(ImageRemovalSpec spec, List<Node> nodes, LabelSelector exclusion) {
    Targets all = resolveIgnoringExclusion(spec, nodes);
    if (exclusion == null || isEmpty(exclusion)) return all;
    Set<String> kept = new TreeSet<>();
    Set<String> excluded = new TreeSet<>();
    Map<String, Map<String, String>> labelsByName = new HashMap<>();
    for (Node n : nodes) {
      labelsByName.put(
          n.getMetadata().getName(),
          n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels());
    }
    for (String name : all.nodes()) {
      if (matches(exclusion, labelsByName.getOrDefault(name, Map.of()))) excluded.add(name);
      else kept.add(name);
    }
    return new Targets(kept, all.missing(), excluded);
  }

  static boolean isEmpty(LabelSelector s) {
    return (s.getMatchLabels() == null || s.getMatchLabels().isEmpty())
        && (s.getMatchExpressions() == null || s.getMatchExpressions().isEmpty());
  }

  private static Targets resolveIgnoringExclusion(ImageRemovalSpec spec, List<Node> nodes) {
    Set<String> selected = new TreeSet<>();
    Set<String> missing = new TreeSet<>();
    LabelSelector selector = spec.getNodeSelector();
    List<String> names = spec.getNodeNames() == null ? List.of() : spec.getNodeNames();
    boolean everyNode = selector == null && names.isEmpty();
    Set<String> existing = new TreeSet<>();
    for (Node n : nodes) {
      String name = n.getMetadata().getName();
      existing.add(name);
      Map<String, String> labels =
          n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
      if (everyNode || (selector != null && matches(selector, labels))) {
        selected.add(name);
      }
    }
    for (String name : names) {
      if (existing.contains(name)) selected.add(name);
      else missing.add(name);
    }
    return new Targets(selected, missing);
  }

  /** Kubernetes label selector semantics; an empty selector matches every node. */
  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) return false;
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        String value = labels.get(r.getKey());
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        boolean ok =
            switch (r.getOperator()) {
              case "In" -> value != null && values.contains(value);
              case "NotIn" -> value == null || !values.contains(value);
              case "Exists" -> labels.containsKey(r.getKey());
              case "DoesNotExist" -> !labels.containsKey(r.getKey());
              default -> false;
            };
        if (!ok) return false;
      }
    }
    return true;
  }
}
