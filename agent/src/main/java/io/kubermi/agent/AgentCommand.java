package io.kubermi.agent;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.resilience4j.core.IntervalFunction;
import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.NodeRuntime;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.UnavailableEngine;
import io.kubermi.agent.journal.JournalLock;
import io.kubermi.agent.journal.RemovalJournal;
import io.kubermi.agent.metrics.AgentMetrics;
import io.kubermi.agent.watch.NodeAgent;
import io.kubermi.runtime.EnvSettings;
import io.kubermi.runtime.HealthServer;
import io.kubermi.runtime.Metrics;
import io.kubermi.runtime.Watchdog;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kube-rmi agent}: the in-cluster node agent the agent image runs, configured from the
 * environment (the Helm chart renders it), serving /metrics, /healthz and /readyz.
 */
public final class AgentCommand {
  static final int EXIT_USAGE = 2;
  static final int EXIT_NOT_STARTED = 1;

  /** Held, and referenced, for the process's life: a collected channel would drop the lock. */
  private static JournalLock nodeLock;

  private AgentCommand() {}

  public static int run(Map<String, String> env, PrintStream err) {
    AgentConfig config;
    try {
      config = AgentConfig.fromEnv(env);
    } catch (IllegalArgumentException e) {
      err.println("kube-rmi agent: " + e.getMessage());
      return EXIT_USAGE;
    }
    KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig()).build();
    Engine engine =
        openEngine(config, nodeRuntime(client, config.nodeName(), config.startLimit()), err);
    engine.followImageArrivals();
    RemovalJournal journal = journal(config, err);
    PrometheusMeterRegistry registry = Metrics.registry();
    Watchdog watchdog = new Watchdog(Clock.systemUTC());
    NodeAgent agent =
        new NodeAgent(
            client,
            config.nodeName(),
            engine,
            Clock.systemUTC(),
            engine.removalBatch(),
            new AgentMetrics(registry, engine),
            journal,
            watchdog,
            config.resync());
    try {
      agent.start(config.startLimit());
    } catch (NodeAgent.NotStarted e) {
      // As a controller whose caches never sync: exit, and the kubelet's restart starts afresh.
      err.println("kube-rmi agent: " + e.getMessage() + "; exiting");
      return EXIT_NOT_STARTED;
    }
    EngineLiveness engineLiveness =
        new EngineLiveness(engine, Clock.systemUTC(), EngineLiveness.SILENCE_LIMIT);
    new HealthServer(
        config.metricsPort(),
        registry,
        () -> readiness(agent, engine),
        () -> watchdog.stalled().or(engineLiveness::problem));
    return EnvSettings.blockUntilStopped();
  }

  /**
   * The engine the node's kubelet runs, or, when none can be opened, one that fails each run with
   * the reason: the node's removals say why instead of waiting for an agent that keeps exiting.
   */
  static Engine openEngine(AgentConfig config, NodeRuntime runtime, PrintStream err) {
    ProtectedImages protectedImages =
        new ProtectedImages(config.protectedImages(), config.protectedNamespaces());
    try {
      return runtime.open(config.engineChoice(), protectedImages);
    } catch (EngineException e) {
      err.println(
          "kube-rmi agent: no engine: "
              + e.getMessage()
              + "; each removal on this node fails with EngineError until this is fixed");
      return new UnavailableEngine(e.getMessage());
    }
  }

  /**
   * What the node's kubelet reports as its container runtime, or why it cannot be read. An API
   * server that does not answer is asked again until the start limit (as the first watch waits); an
   * answer that refuses (no such Node, no permission) is final.
   */
  static NodeRuntime nodeRuntime(KubernetesClient client, String nodeName, Duration limit) {
    IntervalFunction backoff =
        IntervalFunction.ofExponentialBackoff(Duration.ofMillis(500), 2.0, Duration.ofSeconds(5));
    long deadline = System.nanoTime() + limit.toNanos();
    for (int attempt = 1; ; attempt++) {
      try {
        Node node = client.nodes().withName(nodeName).get();
        if (node == null) return NodeRuntime.unknown("there is no Node named " + nodeName);
        return NodeRuntime.reported(
            node.getStatus() == null || node.getStatus().getNodeInfo() == null
                ? null
                : node.getStatus().getNodeInfo().getContainerRuntimeVersion());
      } catch (KubernetesClientException e) {
        boolean refused = e.getCode() >= 400 && e.getCode() < 500;
        if (refused || System.nanoTime() > deadline) {
          return NodeRuntime.unknown(
              "cannot read Node " + nodeName + " (" + e.getCode() + "): " + e.getMessage());
        }
      }
      try {
        Thread.sleep(backoff.apply(attempt));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return NodeRuntime.unknown("interrupted while reading Node " + nodeName);
      }
    }
  }

  /**
   * The node's journal, once this process is the node's only agent (the lock is held until the
   * process exits), or one in memory when no folder is configured.
   */
  private static RemovalJournal journal(AgentConfig config, PrintStream err) {
    if (config.journalDir().isEmpty()) {
      err.println(
          "kube-rmi agent: KUBE_RMI_JOURNAL_DIR is not set: results of a removal cut short by a"
              + " restart cannot be recovered");
      return RemovalJournal.inMemory(config.nodeName());
    }
    Path dir = config.journalDir().get();
    nodeLock =
        JournalLock.acquire(dir, config.nodeName(), m -> err.println("kube-rmi agent: " + m));
    RemovalJournal journal = RemovalJournal.open(dir, config.nodeName());
    journal.problems().forEach(p -> err.println("kube-rmi agent: journal: " + p));
    return journal;
  }

  /** Every API call answers or fails within a bound; none waits forever. */
  static Config clientConfig() {
    Config c = new ConfigBuilder().build();
    c.setConnectionTimeout(10_000);
    c.setRequestTimeout(30_000);
    return c;
  }

  /** Ready when the engine answers and the watch on this node's objects is established. */
  public static Optional<String> readiness(NodeAgent agent, Engine engine) {
    if (engine instanceof UnavailableEngine u)
      return Optional.of("no container engine: " + u.reason());
    if (!engine.isUp()) return Optional.of("the container engine does not answer");
    return agent.isWatching()
        ? Optional.empty()
        : Optional.of("the NodeImageRemoval watch is not established");
  }
}
