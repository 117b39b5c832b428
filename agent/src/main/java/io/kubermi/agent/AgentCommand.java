package io.kubermi.agent;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.resilience4j.core.IntervalFunction;
import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.NodeRuntime;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.ReopeningEngine;
import io.kubermi.agent.journal.JournalLock;
import io.kubermi.agent.journal.RemovalJournal;
import io.kubermi.agent.lastuse.LastUseTracker;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
        openEngine(
            config,
            nodeRuntime(
                client,
                config.nodeName(),
                config.startLimit().compareTo(NODE_READ_LIMIT) < 0
                    ? config.startLimit()
                    : NODE_READ_LIMIT),
            err);
    engine.followImageArrivals();
    RemovalJournal journal = journal(config, err);
    PrometheusMeterRegistry registry = Metrics.registry();
    Watchdog watchdog = new Watchdog(Clock.systemUTC());
    AgentMetrics metrics = new AgentMetrics(registry, engine);
    NodeAgent agent =
        new NodeAgent(
            client,
            config.nodeName(),
            engine,
            Clock.systemUTC(),
            engine.removalBatch(),
            metrics,
            journal,
            watchdog,
            config.resync());
    LastUseTracker lastUse =
        config
            .journalDir()
            .map(dir -> LastUseTracker.open(engine, dir, Clock.systemUTC()))
            .orElseGet(() -> LastUseTracker.inMemory(engine, Clock.systemUTC()));
    agent.withLastUse(lastUse.start());
    metrics.followLastUse(lastUse);
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
   * The engine the node's kubelet runs, opened now if it answers, else at each later use until it
   * does; while none can be, each of the node's removals fails with the reason instead of the agent
   * exiting before it can say so.
   */
  static Engine openEngine(AgentConfig config, NodeRuntime runtime, PrintStream err) {
    ProtectedImages protectedImages =
        new ProtectedImages(config.protectedImages(), config.protectedNamespaces());
    ReopeningEngine engine =
        new ReopeningEngine(() -> runtime.open(config.engineChoice(), protectedImages));
    if (!engine.isUp()) {
      err.println(
          "kube-rmi agent: no engine yet: "
              + engine.problem().orElse("it does not answer")
              + "; tried again at each removal, which fails with EngineError while it cannot be"
              + " opened");
    }
    return engine;
  }

  /** The longest the agent waits at start for its Node: the kubelet's word on its engine. */
  static final Duration NODE_READ_LIMIT = Duration.ofSeconds(10);

  /**
   * What the node's kubelet reports as its container runtime, or why it cannot be read within the
   * limit: an API server that does not answer is asked again until then, an answer that refuses (no
   * such Node, no permission) is final. Each request is bounded by what is left of the limit, so a
   * server that never answers costs the limit, not the client's request timeout and retries.
   */
  static NodeRuntime nodeRuntime(KubernetesClient client, String nodeName, Duration limit) {
    IntervalFunction backoff =
        IntervalFunction.ofExponentialBackoff(Duration.ofMillis(500), 2.0, Duration.ofSeconds(5));
    long deadline = System.nanoTime() + limit.toNanos();
    String problem = "no answer from the API server within " + limit.toSeconds() + " s";
    for (int attempt = 1; ; attempt++) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return NodeRuntime.unknown("cannot read Node " + nodeName + ": " + problem);
      try {
        Node node =
            CompletableFuture.supplyAsync(() -> client.nodes().withName(nodeName).get())
                .get(left, TimeUnit.NANOSECONDS);
        if (node == null) return NodeRuntime.unknown("there is no Node named " + nodeName);
        return NodeRuntime.reported(
            node.getStatus() == null || node.getStatus().getNodeInfo() == null
                ? null
                : node.getStatus().getNodeInfo().getContainerRuntimeVersion());
      } catch (ExecutionException e) {
        if (e.getCause() instanceof KubernetesClientException k) {
          boolean refused = k.getCode() >= 400 && k.getCode() < 500;
          problem = "(" + k.getCode() + "): " + k.getMessage();
          if (refused) return NodeRuntime.unknown("cannot read Node " + nodeName + " " + problem);
        } else {
          problem = String.valueOf(e.getCause());
        }
      } catch (TimeoutException e) {
        continue; // the deadline passed: said above
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return NodeRuntime.unknown("interrupted while reading Node " + nodeName);
      }
      try {
        Thread.sleep(
            Math.min(
                backoff.apply(attempt), Math.max(0, deadline - System.nanoTime()) / 1_000_000));
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
    if (!engine.isUp()) {
      return Optional.of(
          engine instanceof ReopeningEngine r && r.problem().isPresent()
              ? "no container engine: " + r.problem().get()
              : "the container engine does not answer");
    }
    return agent.isWatching()
        ? Optional.empty()
        : Optional.of("the NodeImageRemoval watch is not established");
  }
}
