package io.kubermi.agent.watch;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.github.resilience4j.core.IntervalFunction;
import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.journal.RemovalJournal;
import io.kubermi.agent.journal.RunKey;
import io.kubermi.agent.lastuse.LastUseTracker;
import io.kubermi.agent.metrics.AgentMetrics;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeLabel;
import io.kubermi.runtime.Watchdog;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of one node: watches only its own node's NodeImageRemovals (label selector) and runs
 * them one at a time, oldest first (a run it fails on unexpectedly is set aside with its own
 * backoff, {@link SetAsideRuns}, so it holds up no other). Level-triggered: after a restart it
 * finds in the objects and the node's journal what is unfinished and finishes it. The watch only
 * wakes it; what to run is listed from the API server, and it also looks every {@link
 * #DEFAULT_RESYNC} (configurable), so a watch event missed during an outage delays a run by at most
 * that much. It never touches another node's objects.
 */
public final class NodeAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
  public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(60);
  static final Duration PUBLISH_INTERVAL = Duration.ofSeconds(1);
  static final Duration ENGINE_WAIT = Duration.ofSeconds(60);

  /**
   * How long the first list and watch of this node's objects may take. fabric8's informer waits for
   * them without a bound, and a request it lost under an API cut once held an agent there for good;
   * an agent that cannot start within this exits, and its restart starts afresh.
   */
  public static final Duration START_LIMIT = Duration.ofSeconds(60);

  static final Duration LIST_LIMIT = Duration.ofSeconds(60);

  /** How many objects not controlled by an ImageRemoval are logged; more are left alone quietly. */
  private static final int IGNORED_LOGGED_AT_MOST = 1024;

  private final KubernetesClient client;
  private final String nodeName;
  private final RemovalJournal journal;
  private final Watchdog watchdog;
  private final StatusPublisher publisher;
  private final RemovalRunner runner;
  private final Duration resync;
  private final Semaphore wake = new Semaphore(0);
  private final Thread worker;
  private final IntervalFunction backoff =
      IntervalFunction.ofExponentialRandomBackoff(
          Duration.ofMillis(500), 2.0, 0.5, Duration.ofSeconds(15));
  private final SetAsideRuns setAside =
      new SetAsideRuns(SetAsideRuns.DEFAULT_BACKOFF, System::nanoTime);
  private final AgentMetrics metrics;
  private final Set<String> ignored = ConcurrentHashMap.newKeySet();
  private SharedIndexInformer<NodeImageRemoval> informer;
  private volatile boolean running = true;

  public NodeAgent(
      KubernetesClient client, String nodeName, Engine engine, Clock clock, int chunkSize) {
    this(client, nodeName, engine, clock, chunkSize, null);
  }

  /** With metrics (null: none) and a journal in memory only. */
  public NodeAgent(
      KubernetesClient client,
      String nodeName,
      Engine engine,
      Clock clock,
      int chunkSize,
      AgentMetrics metrics) {
    this(
        client,
        nodeName,
        engine,
        clock,
        chunkSize,
        metrics,
        RemovalJournal.inMemory(nodeName),
        new Watchdog(clock),
        DEFAULT_RESYNC);
  }

  /** As the in-cluster agent runs: the node's journal, and a watchdog behind /healthz. */
  public NodeAgent(
      KubernetesClient client,
      String nodeName,
      Engine engine,
      Clock clock,
      int chunkSize,
      AgentMetrics metrics,
      RemovalJournal journal,
      Watchdog watchdog,
      Duration resync) {
    this.client = client;
    this.resync = resync;
    this.nodeName = nodeName;
    this.journal = journal;
    this.watchdog = watchdog;
    this.metrics = metrics;
    this.publisher =
        new StatusPublisher(new NodeStatusWriter(client), PUBLISH_INTERVAL, watchdog, nodeName);
    JournaledRemoval removal = new JournaledRemoval(engine, journal, watchdog, ENGINE_WAIT);
    this.runner =
        new RemovalRunner(publisher, engine, removal, journal, watchdog, clock, chunkSize, metrics);
    this.worker = new Thread(this::work, "kube-rmi-agent-" + nodeName);
    this.worker.setDaemon(true);
  }

  /**
   * Selects prunes' {@code unusedFor} by this tracker's record (by default one kept in memory,
   * begun at the first prune).
   */
  public NodeAgent withLastUse(LastUseTracker tracker) {
    runner.useLastUse(tracker);
    return this;
  }

  /**
   * Lists every result in the statuses, however many: for a cluster in this process whose statuses
   * are printed, not stored in etcd.
   */
  public NodeAgent keepingEveryResult() {
    runner.boundResults(ResultsBound.UNBOUNDED);
    return this;
  }

  public NodeAgent start() {
    return start(START_LIMIT);
  }

  /**
   * Lists and watches this node's objects, then starts working on them.
   *
   * @throws NotStarted when the list and watch did not begin within {@code limit}
   */
  public NodeAgent start(Duration limit) {
    informer =
        client
            .resources(NodeImageRemoval.class)
            .withLabel(KubeRmi.LABEL_NODE, NodeLabel.value(nodeName))
            .runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(NodeImageRemoval o) {
            wake.release();
          }

          @Override
          public void onUpdate(NodeImageRemoval o, NodeImageRemoval n) {
            wake.release();
          }

          @Override
          public void onDelete(NodeImageRemoval o, boolean unknown) {}
        });
    try {
      awaitFirstSync(limit);
    } catch (NotStarted e) {
      informer.stop();
      throw e;
    }
    watchdog.watchThread(worker, "the worker of node " + nodeName);
    worker.start();
    wake.release();
    return this;
  }

  private void awaitFirstSync(Duration limit) {
    try {
      informer.start().toCompletableFuture().get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new NotStarted(
          "no list and watch of this node's NodeImageRemovals within " + limit.toSeconds() + " s",
          null);
    } catch (ExecutionException e) {
      throw new NotStarted(
          "the list and watch of this node's NodeImageRemovals failed: "
              + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotStarted("interrupted while starting", e);
    }
  }

  /** The agent could not begin to watch its node's objects. */
  public static final class NotStarted extends RuntimeException {
    NotStarted(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Whether the watch is established and its cache filled (readiness). */
  public boolean isWatching() {
    return informer != null && informer.isRunning() && informer.hasSynced();
  }

  public String nodeName() {
    return nodeName;
  }

  private void work() {
    int failures = 0;
    while (running) {
      try {
        // The informer's events release it; close() interrupts. The timeout is the resync, or
        // sooner when a set-aside run is due again.
        wake.tryAcquire(setAside.millisUntilNextDue(resync.toMillis()), TimeUnit.MILLISECONDS);
        wake.drainPermits();
        runWhatIsDue();
        failures = 0;
      } catch (InterruptedException e) {
        return;
      } catch (KubernetesClientException | IllegalStateException e) {
        retryLater(++failures, e.getMessage(), null);
      } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError e) {
        // Unexpected, so with its stack; still retried: this thread must not end. Should it end
        // anyway (out of memory), the watchdog turns /healthz to 503 and the kubelet restarts us.
        retryLater(++failures, e.toString(), e);
      }
    }
  }

  /**
   * Runs this node's unfinished removals, oldest first, until none is due. A run that fails
   * unexpectedly is set aside with its own backoff and the others go on; the API server's failures
   * are not a run's and go to the caller.
   */
  private void runWhatIsDue() throws InterruptedException {
    List<NodeImageRemoval> due = due(unfinished());
    while (!due.isEmpty() && running) {
      NodeImageRemoval next = due.get(0);
      RunKey key = RunKey.of(next);
      try {
        runner.run(next);
        setAside.finished(key);
      } catch (KubernetesClientException e) {
        throw e;
      } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError e) {
        // The runner reports a run's own failures in its status; this is one it could not even
        // report (its status could not be made), so it is tried again after its own backoff.
        long wait = setAside.failed(key);
        if (metrics != null) metrics.runFailed();
        LOG.error(
            "node {}: {} failed unexpectedly ({} time(s) in a row); set aside for {} ms while the"
                + " node's other removals go on",
            nodeName,
            key.name(),
            setAside.failures(key),
            wait,
            e);
      }
      due = due(unfinished());
    }
  }

  /**
   * Whether an ImageRemoval controls the object, as it does every child the operator makes (after
   * validating the removal). Anything else labelled for this node is not the agent's to run: it is
   * logged once and left alone.
   */
  private boolean controlledByARemoval(NodeImageRemoval o) {
    for (OwnerReference r : o.getMetadata().getOwnerReferences()) {
      if (Boolean.TRUE.equals(r.getController())
          && "ImageRemoval".equals(r.getKind())
          && KubeRmi.API_VERSION.equals(r.getApiVersion())) {
        return true;
      }
    }
    if (ignored.size() < IGNORED_LOGGED_AT_MOST && ignored.add(o.getMetadata().getUid())) {
      LOG.warn(
          "node {}: NodeImageRemoval {} is not controlled by an ImageRemoval; not run",
          nodeName,
          o.getMetadata().getName());
    }
    return false;
  }

  private List<NodeImageRemoval> due(List<NodeImageRemoval> unfinished) {
    return unfinished.stream().filter(o -> setAside.isDue(RunKey.of(o))).toList();
  }

  private void retryLater(int failures, String why, Throwable unexpected) {
    long wait = backoff.apply(failures);
    LOG.warn("node {}: {}; retrying in {} ms", nodeName, why, wait, unexpected);
    StatusPublisher.sleepQuietly(wait);
    wake.release();
  }

  /**
   * This node's unfinished removals, oldest first, as the API server lists them now; journal
   * entries and set-aside records of runs no longer among them (finished or deleted) are dropped.
   */
  private List<NodeImageRemoval> unfinished() {
    List<NodeImageRemoval> all;
    try (Watchdog.Section s = watchdog.enter("listing this node's removals", LIST_LIMIT)) {
      all =
          client
              .resources(NodeImageRemoval.class)
              .withLabel(KubeRmi.LABEL_NODE, NodeLabel.value(nodeName))
              .list()
              .getItems();
    }
    List<NodeImageRemoval> unfinished =
        all.stream()
            .filter(o -> nodeName.equals(o.getSpec().getNodeName()))
            .filter(this::controlledByARemoval)
            .filter(RemovalRunner::needsWork)
            .sorted(
                Comparator.comparing(
                        (NodeImageRemoval o) ->
                            o.getMetadata().getCreationTimestamp() == null
                                ? ""
                                : o.getMetadata().getCreationTimestamp())
                    .thenComparing(o -> o.getMetadata().getName()))
            .toList();
    Set<RunKey> active = new HashSet<>();
    unfinished.forEach(o -> active.add(RunKey.of(o)));
    journal.retainOnly(active);
    setAside.retainOnly(active);
    return unfinished;
  }

  @Override
  public void close() {
    running = false;
    watchdog.release(worker);
    worker.interrupt();
    publisher.close();
    if (informer != null) informer.close();
  }
}
