package io.kubermi.operator.targeting;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import io.kubermi.api.ImageRemovalSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which nodes an ImageRemoval targets: those nodeSelector matches plus those nodeNames lists; with
 * neither, every node. A listed name with no Node object is reported, not silently dropped.
 */
public final class NodeTargeting {
  /** Existing targeted nodes, and listed names that have no Node, both sorted. */
  public record Targets(Set<String> nodes, Set<String> missing) {}

  private NodeTargeting() {}

  public static Targets resolve(ImageRemovalSpec spec, List<Node> nodes) {
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
