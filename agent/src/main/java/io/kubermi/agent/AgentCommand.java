package io.kubermi.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.EngineDetector;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.metrics.AgentMetrics;
import io.kubermi.agent.watch.NodeAgent;
import io.kubermi.runtime.EnvSettings;
import io.kubermi.runtime.HealthServer;
import io.kubermi.runtime.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kube-rmi agent}: the in-cluster node agent the agent image runs, configured from the
 * environment (the Helm chart renders it), serving /metrics, /healthz and /readyz.
 */
public final class AgentCommand {
  static final int EXIT_USAGE = 2;

  private AgentCommand() {}

  public static int run(Map<String, String> env, PrintStream err) {
    AgentConfig config;
    try {
      config = AgentConfig.fromEnv(env);
    } catch (IllegalArgumentException e) {
      err.println("kube-rmi agent: " + e.getMessage());
      return EXIT_USAGE;
    }
    Engine engine =
        EngineDetector.detect(config.engineChoice(), new ProtectedImages(config.protectedImages()));
    KubernetesClient client = new KubernetesClientBuilder().build();
    PrometheusMeterRegistry registry = Metrics.registry();
    NodeAgent agent =
        new NodeAgent(
                client,
                config.nodeName(),
                engine,
                Clock.systemUTC(),
                NodeAgent.DEFAULT_CHUNK,
                new AgentMetrics(registry, engine))
            .start();
    new HealthServer(config.metricsPort(), registry, () -> readiness(agent, engine));
    return EnvSettings.blockUntilStopped();
  }

  /** Ready when the engine answers and the watch on this node's objects is established. */
  public static Optional<String> readiness(NodeAgent agent, Engine engine) {
    if (!engine.isUp()) return Optional.of("the container engine does not answer");
    return agent.isWatching()
        ? Optional.empty()
        : Optional.of("the NodeImageRemoval watch is not established");
  }
}
