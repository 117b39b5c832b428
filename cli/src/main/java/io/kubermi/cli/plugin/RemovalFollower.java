package io.kubermi.cli.plugin;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubermi.agent.cli.HumanSize;
import io.kubermi.agent.cli.PruneCommand;
import io.kubermi.agent.cli.RmiCommand;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalStatus;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.NodeFailureReason;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeResult;
import io.kubermi.api.NodeRunState;
import io.kubermi.api.Outcome;
import io.kubermi.api.RemovalPhase;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Follows a created ImageRemoval until it finishes: each node's lines as docker prints them, as
 * soon as the node finishes, from its NodeImageRemoval (which holds the node's own results and
 * bytes, however many nodes there are), then one line for the whole removal. The exit code is
 * docker's on the node where it is highest: 1 where docker would have said an error.
 */
final class RemovalFollower {
  private static final Duration POLL = Duration.ofMillis(500);

  private final KubernetesClient client;
  private final PrintStream out;
  private final PrintStream err;
  private final Set<String> printed = new HashSet<>();
  private int exit;

  RemovalFollower(KubernetesClient client, PrintStream out, PrintStream err) {
    this.client = client;
    this.out = out;
    this.err = err;
  }

  /** The finished removal, its nodes printed as they finish; null on timeout. */
  ImageRemoval follow(ImageRemoval created, Duration timeout) throws InterruptedException {
    String name = created.getMetadata().getName();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      ImageRemoval now = client.resources(ImageRemoval.class).withName(name).get();
      if (now == null) {
        throw new IllegalStateException("imageremoval/" + name + " was deleted while running");
      }
      boolean finished = now.getStatus() != null && isFinished(now.getStatus());
      printFinishedNodes(now);
      if (finished) return now;
      if (System.nanoTime() > deadline) return null;
      Thread.sleep(POLL.toMillis());
    }
  }

  private static boolean isFinished(ImageRemovalStatus s) {
    return s.getPhase() != null && s.getPhase().isFinished();
  }

  private void printFinishedNodes(ImageRemoval removal) {
    List<NodeImageRemoval> children =
        client
            .resources(NodeImageRemoval.class)
            .withLabel(KubeRmi.LABEL_REMOVAL, removal.getMetadata().getName())
            .list()
            .getItems();
    children.stream()
        .filter(c -> c.getStatus() != null && c.getStatus().getPhase() != null)
        .filter(c -> c.getStatus().getPhase().isFinished())
        .sorted(Comparator.comparing(c -> c.getSpec().getNodeName()))
        .forEach(
            c ->
                printNode(
                    removal,
                    c.getSpec().getNodeName(),
                    c.getStatus(),
                    c.getStatus().getReclaimedBytes()));
    // A node the operator gave up on (Timeout, AgentUnavailable) has no finished status of its
    // own: the removal's status says why.
    if (removal.getStatus() != null && isFinished(removal.getStatus())) {
      for (NodeResult n : removal.getStatus().getNodes()) printNode(removal, n.getName(), n, null);
    }
  }

  private void printNode(ImageRemoval removal, String node, NodeRunState state, Long bytes) {
    if (state.getPhase() == null || !state.getPhase().isFinished() || !printed.add(node)) return;
    boolean prune = removal.getSpec().isPruning();
    boolean dryRun = removal.getSpec().isDryRun();
    out.println("node " + node + ":");
    if (state.getResults().stream().anyMatch(r -> r.getOutcome() != Outcome.Removed)) {
      err.println("node " + node + ":");
    }
    int code =
        prune
            ? PruneCommand.printAsDocker(
                state.getResults(), bytes == null ? 0 : bytes, dryRun, out, err)
            : RmiCommand.printAsDocker(state.getResults(), removal.getSpec().isForce(), out, err);
    if (state.getImageBytes() != null && state.getImageBytes().getBefore() != null) {
      out.println(PruneCommand.imageBytesLine(state.getImageBytes(), dryRun));
    }
    if (!prune && dryRun && bytes != null && removal.getSpec().getPlatforms().isEmpty()) {
      out.println("Total reclaimable space: " + HumanSize.of(bytes));
    }
    if (state.getResultsOmitted() != null) {
      out.println(
          "("
              + state.getResultsOmitted()
              + " more results: see the agent's log on node "
              + node
              + ")");
    }
    // A conflict is told by docker's own lines above; any other failure by a line of its own.
    if (state.getReason() != null && state.getReason() != NodeFailureReason.Conflict) {
      err.println(
          "node "
              + node
              + ": "
              + state.getPhase()
              + " "
              + state.getReason()
              + (state.getMessage() == null ? "" : ": " + state.getMessage()));
      code = 1;
    }
    if (state.getPhase() == RemovalPhase.Failed) code = Math.max(code, 1);
    out.flush();
    err.flush();
    exit = Math.max(exit, code);
  }

  /** The line for the whole removal, its total for a prune or a dry run. */
  void printSummary(ImageRemoval removal) {
    if (removal.getStatus().getPhase() == RemovalPhase.Failed) exit = Math.max(exit, 1);
    ImageRemovalStatus s = removal.getStatus();
    StringBuilder line =
        new StringBuilder("imageremoval/")
            .append(removal.getMetadata().getName())
            .append(": ")
            .append(s.getPhase());
    if (s.getProgress() != null)
      line.append(" (").append(s.getProgress()).append(" nodes succeeded)");
    if (s.getSummary() != null && (removal.getSpec().isPruning() || removal.getSpec().isDryRun())) {
      line.append(
              removal.getSpec().isDryRun()
                  ? ", total reclaimable space: "
                  : ", total reclaimed space: ")
          .append(HumanSize.of(s.getSummary().getReclaimedBytes()));
    }
    out.println(line);
    if (s.getNodesOmitted() != null) {
      out.println("(" + s.getNodesOmitted() + " more nodes: see their NodeImageRemovals)");
    }
    s.getConditions().stream()
        .filter(c -> c.getType().equals(KubeRmi.CONDITION_READY))
        .filter(c -> c.getMessage() != null && c.getMessage().contains("not found on any node"))
        .forEach(c -> err.println(c.getMessage()));
  }

  /** docker's exit code over the nodes printed so far. */
  int exitCode() {
    return exit;
  }
}
