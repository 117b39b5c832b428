package io.kubermi.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.kubermi.runtime.EnvSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The operator's configuration, from the environment: KUBE_RMI_LEASE_NAMESPACE (default
 * POD_NAMESPACE, else kube-rmi) holds the leader-election Lease; KUBE_RMI_METRICS_PORT (default
 * 8080) serves /metrics, /healthz, /readyz; KUBE_RMI_RESYNC_SECONDS (default 30) is how often an
 * unfinished removal's children, and all removals, are listed from the API server, not only heard
 * from the watch; KUBE_RMI_EXCLUDE_NODES (a LabelSelector as JSON, matchLabels and/or
 * matchExpressions; unset or empty: none) the nodes no removal may target.
 */
public record OperatorConfig(
    String leaseNamespace, int metricsPort, Duration resync, LabelSelector excludedNodes) {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  public static OperatorConfig fromEnv(Map<String, String> env) {
    return new OperatorConfig(
        env.getOrDefault("KUBE_RMI_LEASE_NAMESPACE", env.getOrDefault("POD_NAMESPACE", "kube-rmi")),
        EnvSettings.port(env, "KUBE_RMI_METRICS_PORT", 8080),
        EnvSettings.seconds(env, "KUBE_RMI_RESYNC_SECONDS", Duration.ofSeconds(30)),
        excludedNodes(env.get("KUBE_RMI_EXCLUDE_NODES")));
  }

  public static LabelSelector excludedNodes(String json) {
    if (json == null || json.isBlank()) return null;
    LabelSelector s;
    try {
      s = JSON.readValue(json, LabelSelector.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "KUBE_RMI_EXCLUDE_NODES: not a label selector (JSON with matchLabels and/or"
              + " matchExpressions): "
              + e.getOriginalMessage());
    }
    // fabric8 keeps unknown fields aside instead of refusing them: a misspelt matchLabels would
    // otherwise be an empty selector, excluding nothing.
    if (!s.getAdditionalProperties().isEmpty()) {
      throw new IllegalArgumentException(
          "KUBE_RMI_EXCLUDE_NODES: not a label selector: unknown field(s) "
              + s.getAdditionalProperties().keySet()
              + " (matchLabels and/or matchExpressions)");
    }
    if (s.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : s.getMatchExpressions()) {
        if (!List.of("In", "NotIn", "Exists", "DoesNotExist").contains(r.getOperator())) {
          throw new IllegalArgumentException(
              "KUBE_RMI_EXCLUDE_NODES: invalid operator \""
                  + r.getOperator()
                  + "\": In, NotIn, Exists or DoesNotExist");
        }
      }
    }
    return s;
  }
}
