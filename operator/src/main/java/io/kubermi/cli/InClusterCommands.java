package io.kubermi.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.EngineDetector;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.http.HealthServer;
import io.kubermi.agent.metrics.AgentMetrics;
import io.kubermi.agent.metrics.Metrics;
import io.kubermi.agent.watch.NodeAgent;
import io.kubermi.operator.OperatorRunner;
import io.kubermi.operator.metrics.OperatorMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kube-rmi operator} and {@code kube-rmi agent}: the processes the container images run,
 * configured from the environment (the Helm chart renders it), each serving /metrics, /healthz
 * and /readyz on its metrics port.
 */
final class InClusterCommands {
  private InClusterCommands() {}

  static int operator(Map<String, String> env, PrintStream err) {
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnv(env);
    } catch (IllegalArgumentException e) {
      err.println("kube-rmi operator: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    PrometheusMeterRegistry registry = Metrics.registry();
    Operator operator = OperatorRunner.start(client, Clock.systemUTC(), config.leaseNamespace(), new OperatorMetrics(registry));
    new HealthServer(config.metricsPort(), registry, () -> operatorReadiness(operator));
    return block();
  }

  /** Ready when started and every informer is healthy (a standby replica has none running yet). */
  static Optional<String> operatorReadiness(Operator operator) {
    var info = operator.getRuntimeInfo();
    if (!info.isStarted()) return Optional.of("operator not started");
    return info.allEventSourcesAreHealthy() ? Optional.empty() : Optional.of("informers not synced or unhealthy");
  }

  static int agent(Map<String, String> env, PrintStream err) {
    AgentConfig config;
    try {
      config = AgentConfig.fromEnv(env);
    } catch (IllegalArgumentException e) {
      err.println("kube-rmi agent: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    Engine engine = EngineDetector.detect(config.engineChoice(), new ProtectedImages(config.protectedImages()));
    KubernetesClient client = new KubernetesClientBuilder().build();
    PrometheusMeterRegistry registry = Metrics.registry();
    NodeAgent agent = new NodeAgent(client, config.nodeName(), engine, Clock.systemUTC(), NodeAgent.DEFAULT_CHUNK,
        new AgentMetrics(registry, engine)).start();
    new HealthServer(config.metricsPort(), registry, () -> agentReadiness(agent, engine));
    return block();
  }

  /** Ready when the engine answers and the watch on this node's objects is established. */
  static Optional<String> agentReadiness(NodeAgent agent, Engine engine) {
    if (!engine.isUp()) return Optional.of("the container engine does not answer");
    return agent.isWatching() ? Optional.empty() : Optional.of("the NodeImageRemoval watch is not established");
  }

  private static int block() {
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
