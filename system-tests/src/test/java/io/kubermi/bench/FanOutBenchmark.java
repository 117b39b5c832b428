package io.kubermi.bench;

import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalSpec;
import io.kubermi.api.ImageResult;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeImageRemovalStatus;
import io.kubermi.api.Outcome;
import io.kubermi.api.RemovalPhase;
import io.kubermi.cluster.TestCluster;
import io.kubermi.controlplane.ApiServerMetrics;
import io.kubermi.controlplane.ChartIdentities;
import io.kubermi.controlplane.ControlPlane;
import io.kubermi.faults.InClusterProcess;
import io.kubermi.runtime.JsonPatch;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Benchmark (not a test): one ImageRemoval over N Nodes, the operator as its own JVM with the
 * chart's JVM options sized as in its container ({@code -XX:MaxRAM} = the chart's memory limit) and
 * the chart's ServiceAccount, on the real control plane. The agents are simulated in this JVM: each
 * child gets a Running status at once and its final status at a random time within the spread, two
 * writes each, as a real agent writes them. Prints the time to the first status and to Succeeded
 * ({@code Ready}), the API writes per node (kube-apiserver's own request counts), and the CPU
 * seconds of the operator, kube-apiserver, etcd and this JVM (the simulated agents) apart, with the
 * operator's peak resident memory. Run by system-tests/src/bench/fan-out-benchmark.sh.
 */
public final class FanOutBenchmark {
  private static final AtomicInteger RETRIED_WRITES = new AtomicInteger();
  private static final AtomicInteger RESYNCED = new AtomicInteger();
  private static final Set<String> HANDLED = ConcurrentHashMap.newKeySet();

  public static void main(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int spreadSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    List<String> options = new ArrayList<>(options("operator.javaOptions"));
    String limit = System.getProperty("operator.memoryLimit", "320m");
    options.add("-XX:MaxRAM=" + limit);
    Path logs = Files.createTempDirectory("kube-rmi-fanout");
    ControlPlane controlPlane = ControlPlane.shared();
    try (TestCluster cluster = new TestCluster()) {
      for (int i = 0; i < nodes; i++) {
        cluster.addNode(String.format("node-%05d", i), Map.of("pool", "bench"));
      }
      ScheduledExecutorService agents = Executors.newScheduledThreadPool(8);
      var watch =
          cluster
              .client()
              .resources(NodeImageRemoval.class)
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, NodeImageRemoval child) {
                      if (action == Action.ADDED) {
                        simulateAgent(cluster, agents, child, spreadSeconds);
                      }
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                  });
      Map<String, String> env =
          new HashMap<>(
              controlPlane.clientEnv(ChartIdentities.apply(controlPlane).operatorToken()));
      env.put("KUBE_RMI_METRICS_PORT", "0");
      env.put("KUBE_RMI_LEASE_NAMESPACE", "kube-rmi");
      try (InClusterProcess operator =
          new InClusterProcess("operator", env, logs.resolve("operator.log"), options).start()) {
        Thread.sleep(5000); // started, leader, informers listed
        long childWritesBefore = ApiServerMetrics.writes(controlPlane, "nodeimageremovals");
        long parentWritesBefore = ApiServerMetrics.writes(controlPlane, "imageremovals");
        long cpuBefore = ProcStat.cpuMillis(operator.pid());
        long apiServerBefore = ProcStat.cpuMillis(controlPlane.pid("kube-apiserver"));
        long etcdBefore = ProcStat.cpuMillis(controlPlane.pid("etcd"));
        long selfBefore = selfCpuMillis();
        ImageRemoval r = new ImageRemoval();
        r.getMetadata().setName("fan-out");
        ImageRemovalSpec spec = new ImageRemovalSpec();
        spec.setImages(List.of("bench:1"));
        r.setSpec(spec);
        RunWatch run = new RunWatch(cluster, "fan-out");
        long start = System.nanoTime();
        run.start(start);
        cluster.client().resource(r).create();
        long peakRss = 0;
        long nextResync = start + 10_000_000_000L;
        while (!run.finished() && System.nanoTime() - start < 600_000_000_000L) {
          peakRss = Math.max(peakRss, ProcStat.rssKib(operator.pid()));
          if (System.nanoTime() > nextResync) {
            resync(cluster, agents, spreadSeconds);
            nextResync = System.nanoTime() + 10_000_000_000L;
          }
          Thread.sleep(200);
        }
        run.close();
        double firstStatus = run.firstStatusSeconds();
        String firstPhase = run.firstPhase();
        double done = run.finishedSeconds();
        long cpu = ProcStat.cpuMillis(operator.pid()) - cpuBefore;
        long apiServerCpu =
            ProcStat.cpuMillis(controlPlane.pid("kube-apiserver")) - apiServerBefore;
        long etcdCpu = ProcStat.cpuMillis(controlPlane.pid("etcd")) - etcdBefore;
        long selfCpu = selfCpuMillis() - selfBefore;
        long hwm = ProcStat.peakRssKib(operator.pid());
        long childWrites =
            ApiServerMetrics.writes(controlPlane, "nodeimageremovals") - childWritesBefore;
        long parentWrites =
            ApiServerMetrics.writes(controlPlane, "imageremovals") - parentWritesBefore;
        System.out.printf(
            "nodes: %d, simulated agents finish within %d s; operator JVM options: %s%n",
            nodes, spreadSeconds, String.join(" ", options));
        System.out.printf(
            "first status (%s) %.2f s after apply; Succeeded at %.2f s; simulated agent writes"
                + " retried: %d; children the watch missed, found by a list: %d%n",
            firstPhase, firstStatus, done, RETRIED_WRITES.get(), RESYNCED.get());
        System.out.printf(
            "API writes: %.2f per node on NodeImageRemovals (create + 2 simulated agent statuses),"
                + " %d on the ImageRemoval in all%n",
            childWrites / (double) nodes, parentWrites);
        System.out.printf(
            "operator: CPU %.1f s, peak RSS %.1f MiB (VmHWM %.1f MiB), limit %s; kube-apiserver:"
                + " CPU %.1f s; etcd: CPU %.1f s; simulated agents (this JVM): CPU %.1f s%n",
            cpu / 1000.0,
            peakRss / 1024.0,
            hwm / 1024.0,
            limit,
            apiServerCpu / 1000.0,
            etcdCpu / 1000.0,
            selfCpu / 1000.0);
        if (run.failure() != null) {
          // Which side lost what: a child still unfinished in the API server was never finished
          // by its simulated agent; one finished there was missed by the operator.
          cluster.client().resources(NodeImageRemoval.class).list().getItems().stream()
              .filter(
                  c ->
                      c.getStatus() == null
                          || c.getStatus().getPhase() == null
                          || !c.getStatus().getPhase().isFinished())
              .forEach(
                  c ->
                      System.out.printf(
                          "unfinished in the API server: %s (%s)%n",
                          c.getMetadata().getName(),
                          c.getStatus() == null ? "no status" : c.getStatus().getPhase()));
          throw new IllegalStateException("the removal ended " + run.failure());
        }
      } finally {
        watch.close();
        agents.shutdownNow();
      }
    }
  }

  /**
   * Every few seconds, as a real agent's resync does, the children the watch did not bring (a watch
   * can end under load, and events between its end and the next are the resync's to find).
   */
  private static void resync(TestCluster cluster, ScheduledExecutorService agents, int spread) {
    for (NodeImageRemoval child :
        cluster.client().resources(NodeImageRemoval.class).list().getItems()) {
      if (!HANDLED.contains(child.getMetadata().getName())) {
        RESYNCED.incrementAndGet();
        simulateAgent(cluster, agents, child, spread);
      }
    }
  }

  private static void simulateAgent(
      TestCluster cluster, ScheduledExecutorService agents, NodeImageRemoval child, int spread) {
    String name = child.getMetadata().getName();
    if (!HANDLED.add(name)) return;
    long generation = child.getSpec().getRemovalGeneration();
    Instant started = Instant.now();
    long finishMillis = ThreadLocalRandom.current().nextLong(Math.max(1, spread * 1000L));
    // One node's writes in order, as its agent makes them: scheduled independently, a final
    // status due within milliseconds could land before Running, which then overwrote it and left
    // the node to its timeout (the benchmark's, not the operator's, lost update).
    agents.execute(
        () -> {
          writeStatus(cluster, name, status(generation, started, null));
          long left = finishMillis - Duration.between(started, Instant.now()).toMillis();
          agents.schedule(
              () -> writeStatus(cluster, name, status(generation, started, Instant.now())),
              Math.max(0, left),
              TimeUnit.MILLISECONDS);
        });
  }

  private static NodeImageRemovalStatus status(long generation, Instant started, Instant done) {
    NodeImageRemovalStatus s = new NodeImageRemovalStatus();
    s.setObservedGeneration(generation);
    s.setStartedAt(started.toString());
    s.setEngine("docker 20.10.24 (simulated)");
    s.setReclaimedBytes(0L);
    if (done == null) {
      s.setPhase(RemovalPhase.Running);
      s.setResults(new ArrayList<>());
    } else {
      s.setPhase(RemovalPhase.Succeeded);
      s.setFinishedAt(done.toString());
      s.setResults(
          new ArrayList<>(
              List.of(
                  new ImageResult(
                      "bench:1",
                      Outcome.Removed,
                      List.of("bench:1"),
                      List.of("sha256:" + "0".repeat(64)),
                      null))));
    }
    return s;
  }

  /** As an agent would: retried, since a lost write would leave the node to its timeout. */
  private static void writeStatus(TestCluster cluster, String name, NodeImageRemovalStatus status) {
    for (int attempt = 1; ; attempt++) {
      try {
        cluster
            .client()
            .resources(NodeImageRemoval.class)
            .withName(name)
            .subresource("status")
            .patch(PatchContext.of(PatchType.JSON), JsonPatch.set("/status", status));
        return;
      } catch (RuntimeException e) {
        RETRIED_WRITES.incrementAndGet();
        if (attempt == 10) {
          System.err.println("simulated agent gave up on " + name + ": " + e);
          return;
        }
        try {
          Thread.sleep(200L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static long selfCpuMillis() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1_000_000;
  }

  private static List<String> options(String property) {
    String value = System.getProperty(property, "").trim();
    return value.isEmpty() ? List.of() : Arrays.asList(value.split("\\s+"));
  }
}
