package io.kubermi.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.kubermi.operator.metrics.OperatorMetrics;
import io.kubermi.runtime.EnvSettings;
import io.kubermi.runtime.HealthServer;
import io.kubermi.runtime.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kube-rmi operator}: the in-cluster operator the operator image runs, configured from the
 * environment (the Helm chart renders it), serving /metrics, /healthz and /readyz.
 */
public final class OperatorCommand {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorCommand.class);
  static final int EXIT_USAGE = 2;

  private OperatorCommand() {}

  public static int run(Map<String, String> env, PrintStream err) {
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnv(env);
    } catch (IllegalArgumentException e) {
      err.println("kube-rmi operator: " + e.getMessage());
      return EXIT_USAGE;
    }
    KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig()).build();
    PrometheusMeterRegistry registry = Metrics.registry();
    Operator operator =
        OperatorRunner.start(
            client,
            Clock.systemUTC(),
            new LeaderElectionConfiguration("kube-rmi-operator", config.leaseNamespace()),
            new OperatorMetrics(registry),
            config.resync(),
            OperatorCommand::exitToRelist,
            config.excludedNodes());
    new HealthServer(config.metricsPort(), registry, () -> readiness(operator));
    return EnvSettings.blockUntilStopped();
  }

  /**
   * The informer missed a change and will not see it: exit, as JOSDK does when it loses its Lease,
   * so that the restarted container lists everything afresh.
   */
  private static void exitToRelist(String drift) {
    LOG.error("{}; exiting so that the restart lists afresh", drift);
    System.exit(1);
  }

  /** Ready when started and every informer is healthy (a standby replica has none running yet). */
  public static Optional<String> readiness(Operator operator) {
    var info = operator.getRuntimeInfo();
    if (!info.isStarted()) return Optional.of("operator not started");
    return info.allEventSourcesAreHealthy()
        ? Optional.empty()
        : Optional.of("informers not synced or unhealthy");
  }

  /** Every API call answers or fails within a bound; none waits forever. */
  static Config clientConfig() {
    Config c = new ConfigBuilder().build();
    c.setConnectionTimeout(10_000);
    c.setRequestTimeout(30_000);
    return c;
  }
}
