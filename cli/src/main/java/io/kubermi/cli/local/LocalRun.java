package io.kubermi.cli.local;

import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.lastuse.LastUseRecord;
import io.kubermi.agent.lastuse.LastUseTracker;
import io.kubermi.agent.watch.NodeAgent;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.RemovalPhase;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs ImageRemovals on an embedded cluster: starts it with the given nodes and engines, applies
 * the removals, waits until each finished (or the timeout), and prints them.
 */
public final class LocalRun {
  /** Whether every removal finished before the timeout, and whether every one Succeeded. */
  /**
   * How the removals ended: all finished, all Succeeded, and whether any image was found on no node
   * (docker rmi exits 1 for a missing image, and so does local).
   */
  public record Outcome(boolean allFinished, boolean allSucceeded, boolean anyNotFound) {}

  private LocalRun() {}

  public static Outcome run(
      Map<String, Engine> nodes,
      List<ImageRemoval> removals,
      Duration timeout,
      String format,
      PrintStream out,
      PrintStream err) {
    return run(nodes, null, removals, timeout, format, out, err);
  }

  /**
   * The same, each node's prunes selecting by {@code lastUse} (a node agent's record, read only;
   * null: each agent's record begins with the run).
   */
  public static Outcome run(
      Map<String, Engine> nodes,
      LastUseRecord lastUse,
      List<ImageRemoval> removals,
      Duration timeout,
      String format,
      PrintStream out,
      PrintStream err) {
    try (EmbeddedCluster cluster = new EmbeddedCluster(Clock.systemUTC())) {
      nodes.keySet().forEach(n -> cluster.addNode(n, Map.of("kubernetes.io/hostname", n)));
      cluster.startOperator();
      nodes.forEach(
          (n, engine) -> {
            NodeAgent agent = cluster.startAgent(n, engine);
            if (lastUse != null) {
              agent.withLastUse(LastUseTracker.of(engine, lastUse, Clock.systemUTC()));
            }
          });
      for (ImageRemoval r : removals) cluster.client().resource(r).create();
      Map<String, ImageRemoval> latest = new LinkedHashMap<>();
      boolean allDone = awaitFinished(cluster, removals, timeout, latest);
      List<ImageRemoval> shown = new ArrayList<>(latest.values());
      ResultPrinter.print(shown, format, cluster.client().getKubernetesSerialization(), out);
      out.flush();
      if (!allDone) {
        err.println(
            "kube-rmi: timed out after "
                + timeout.toSeconds()
                + "s waiting for the removals to finish");
        return new Outcome(false, false, false);
      }
      return new Outcome(
          true,
          shown.stream().allMatch(r -> r.getStatus().getPhase() == RemovalPhase.Succeeded),
          shown.stream().anyMatch(r -> r.getStatus().getSummary().getNotFound() > 0));
    } finally {
      nodes.values().forEach(Engine::close);
    }
  }

  /**
   * Polls the removals until each finished or the timeout passed; their last state lands in {@code
   * latest}.
   */
  private static boolean awaitFinished(
      EmbeddedCluster cluster,
      List<ImageRemoval> removals,
      Duration timeout,
      Map<String, ImageRemoval> latest) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean allDone = true;
      for (ImageRemoval r : removals) {
        String name = r.getMetadata().getName();
        ImageRemoval now = cluster.client().resources(ImageRemoval.class).withName(name).get();
        latest.put(name, now);
        allDone &=
            now != null
                && now.getStatus() != null
                && now.getStatus().getPhase() != null
                && now.getStatus().getPhase().isFinished();
      }
      if (allDone) return true;
      sleep();
    }
    return false;
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
