package io.kubermi.operator;

import io.kubermi.runtime.EnvSettings;
import java.time.Duration;
import java.util.Map;

/**
 * The operator's configuration, from the environment: KUBE_RMI_LEASE_NAMESPACE (default
 * POD_NAMESPACE, else kube-rmi) holds the leader-election Lease; KUBE_RMI_METRICS_PORT (default
 * 8080) serves /metrics, /healthz, /readyz; KUBE_RMI_RESYNC_SECONDS (default 30) is how often an
 * unfinished removal's children, and all removals, are listed from the API server, not only heard
 * from the watch.
 */
public record OperatorConfig(String leaseNamespace, int metricsPort, Duration resync) {
  public static OperatorConfig fromEnv(Map<String, String> env) {
    return new OperatorConfig(
        env.getOrDefault("KUBE_RMI_LEASE_NAMESPACE", env.getOrDefault("POD_NAMESPACE", "kube-rmi")),
        EnvSettings.port(env, "KUBE_RMI_METRICS_PORT", 8080),
        EnvSettings.seconds(env, "KUBE_RMI_RESYNC_SECONDS", Duration.ofSeconds(30)));
  }
}
