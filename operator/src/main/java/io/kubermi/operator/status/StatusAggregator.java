package io.kubermi.operator.status;

import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalSpec;
import io.kubermi.api.ImageRemovalStatus;
import io.kubermi.api.NodeFailureReason;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeImageRemovalStatus;
import io.kubermi.api.NodeResult;
import io.kubermi.api.RemovalPhase;
import io.kubermi.api.RemovalSummary;
import io.kubermi.api.ResultCounts;
import io.kubermi.api.validation.SpecValidator;
import io.kubermi.operator.targeting.NodeTargeting;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The one place that computes an ImageRemoval's status, from what the objects say now: the targeted
 * nodes, the NodeImageRemovals of the current generation, which nodes still exist, and the clock
 * (node deadlines). Pure: no API calls, so it is tested without Kubernetes.
 */
public final class StatusAggregator {
  public record Result(ImageRemovalStatus status, Optional<Instant> nextWakeUp) {}

  private StatusAggregator() {}

  public static long generationOf(ImageRemoval removal) {
    Long g = removal.getMetadata().getGeneration();
    return g == null ? 1L : g;
  }

  public static Result compute(
      ImageRemoval removal,
      NodeTargeting.Targets targets,
      Map<String, NodeImageRemoval> childrenByNode,
      Set<String> existingNodes,
      Instant now) {
    long generation = generationOf(removal);
    ImageRemovalStatus previous = removal.getStatus();
    boolean sameRun =
        previous != null
            && Objects.equals(previous.getObservedGeneration(), generation)
            && previous.getStartedAt() != null;
    Instant startedAt = sameRun ? Instant.parse(previous.getStartedAt()) : now;
    Instant deadline = startedAt.plusSeconds(removal.getSpec().effectiveNodeTimeoutSeconds());

    List<NodeResult> nodes = new ArrayList<>();
    for (String node : targets.nodes()) {
      nodes.add(nodeResult(removal, node, childrenByNode.get(node), existingNodes, deadline, now));
    }
    for (String missing : targets.missing()) {
      NodeResult r = new NodeResult();
      r.setName(missing);
      fail(r, NodeFailureReason.NodeGone, "spec.nodeNames lists a node that does not exist");
      nodes.add(r);
    }
    long reclaimed = reclaimedBy(targets.nodes(), childrenByNode, generation);

    ImageRemovalStatus status = assemble(removal, sameRun, nodes, reclaimed, startedAt, now);
    reportExcluded(status, targets.excluded());
    return new Result(status, nextWakeUp(removal.getSpec(), status));
  }

  /** Names listed at most in status.excludedNodes; the summary counts them all. */
  public static final int MAX_EXCLUDED_LISTED = 100;

  /** The nodes the administrator's exclusion kept out of the run, counted, and the first listed. */
  private static void reportExcluded(ImageRemovalStatus status, Set<String> excluded) {
    if (excluded.isEmpty()) return;
    status.getSummary().setNodesExcluded(excluded.size());
    status.setExcludedNodes(excluded.stream().limit(MAX_EXCLUDED_LISTED).toList());
  }

  /** The status of the nodes' results: phase, times, summary, the capped node list, conditions. */
  private static ImageRemovalStatus assemble(
      ImageRemoval removal,
      boolean sameRun,
      List<NodeResult> nodes,
      long reclaimed,
      Instant startedAt,
      Instant now) {
    RemovalSummary summary = summarize(nodes, reclaimed);
    int budget = SpecValidator.failureBudget(removal.getSpec().getMaxFailedNodes(), nodes.size());
    RemovalPhase phase = phaseOf(summary, nodes, budget);
    long generation = generationOf(removal);
    ImageRemovalStatus previous = removal.getStatus();
    ImageRemovalStatus status = new ImageRemovalStatus();
    status.setObservedGeneration(generation);
    status.setPhase(phase);
    status.setStartedAt(startedAt.toString());
    if (phase.isFinished()) {
      boolean alreadyFinished =
          sameRun
              && previous.getFinishedAt() != null
              && previous.getPhase() != null
              && previous.getPhase().isFinished();
      status.setFinishedAt(alreadyFinished ? previous.getFinishedAt() : now.toString());
    }
    status.setSummary(summary);
    status.setProgress(summary.getNodesSucceeded() + "/" + summary.getNodesTotal());
    StatusSizeLimit.Limited limited = StatusSizeLimit.apply(nodes);
    status.setNodes(limited.nodes());
    status.setNodesOmitted(limited.omitted() == 0 ? null : limited.omitted());
    String reason = phase == RemovalPhase.Failed ? firstFailure(nodes) : phase.name();
    status.setConditions(
        Conditions.of(
            phase,
            reason,
            message(phase, summary, budget) + notFound(removal, phase, nodes),
            generation,
            previous == null ? null : previous.getConditions(),
            now.toString()));
    return status;
  }

  /** A targeted node's entry: its child's results, or why it failed without finishing. */
  private static NodeResult nodeResult(
      ImageRemoval removal,
      String node,
      NodeImageRemoval child,
      Set<String> existingNodes,
      Instant deadline,
      Instant now) {
    NodeResult r = fromChild(node, child, generationOf(removal));
    if (r.getPhase().isFinished()) {
      return r;
    }
    int timeout = removal.getSpec().effectiveNodeTimeoutSeconds();
    if (!existingNodes.contains(node)) {
      fail(r, NodeFailureReason.NodeGone, "the node was deleted before its agent finished");
    } else if (!now.isBefore(deadline) && r.getPhase() == RemovalPhase.Running) {
      fail(r, NodeFailureReason.Timeout, "the agent did not finish within " + timeout + "s");
    } else if (!now.isBefore(deadline)) {
      fail(r, NodeFailureReason.AgentUnavailable, "no agent started within " + timeout + "s");
    }
    return r;
  }

  /** The bytes the run's children report freed. */
  private static long reclaimedBy(
      Set<String> nodes, Map<String, NodeImageRemoval> childrenByNode, long generation) {
    long reclaimed = 0;
    for (String node : nodes) {
      NodeImageRemoval child = childrenByNode.get(node);
      if (child != null
          && child.getStatus() != null
          && child.getStatus().getReclaimedBytes() != null
          && ofRun(child, generation)) {
        // Saturating: a node's figure is its agent's word, and no sum of them may wrap around.
        long bytes = Math.max(0, child.getStatus().getReclaimedBytes());
        reclaimed = bytes > Long.MAX_VALUE - reclaimed ? Long.MAX_VALUE : reclaimed + bytes;
      }
    }
    return reclaimed;
  }

  /**
   * When the status can change without any object changing: a running run's node deadline, or a
   * finished run's TTL. Empty otherwise.
   */
  public static Optional<Instant> nextWakeUp(ImageRemovalSpec spec, ImageRemovalStatus status) {
    if (status.getPhase() == null || status.getStartedAt() == null) {
      return Optional.empty();
    }
    if (!status.getPhase().isFinished()) {
      return Optional.of(
          Instant.parse(status.getStartedAt()).plusSeconds(spec.effectiveNodeTimeoutSeconds()));
    }
    if (spec.getTtlSecondsAfterFinished() != null && status.getFinishedAt() != null) {
      return Optional.of(
          Instant.parse(status.getFinishedAt()).plusSeconds(spec.getTtlSecondsAfterFinished()));
    }
    return Optional.empty();
  }

  /**
   * The status of a spec the validator refused: Failed/InvalidSpec, no children, nothing retried.
   */
  public static ImageRemovalStatus invalid(
      ImageRemoval removal, List<String> problems, Instant now) {
    long generation = generationOf(removal);
    ImageRemovalStatus previous = removal.getStatus();
    ImageRemovalStatus status = new ImageRemovalStatus();
    status.setObservedGeneration(generation);
    status.setPhase(RemovalPhase.Failed);
    boolean same =
        previous != null
            && Objects.equals(previous.getObservedGeneration(), generation)
            && previous.getFinishedAt() != null;
    status.setStartedAt(same ? previous.getStartedAt() : now.toString());
    status.setFinishedAt(same ? previous.getFinishedAt() : now.toString());
    RemovalSummary summary = new RemovalSummary();
    status.setSummary(summary);
    status.setProgress("0/0");
    status.setConditions(
        Conditions.of(
            RemovalPhase.Failed,
            NodeFailureReason.InvalidSpec.name(),
            String.join("; ", problems),
            generation,
            previous == null ? null : previous.getConditions(),
            now.toString()));
    return status;
  }

  private static boolean ofRun(NodeImageRemoval child, long generation) {
    NodeImageRemovalStatus s = child.getStatus();
    return Objects.equals(child.getSpec().getRemovalGeneration(), generation)
        && s != null
        && Objects.equals(s.getObservedGeneration(), generation);
  }

  private static NodeResult fromChild(String node, NodeImageRemoval child, long generation) {
    NodeResult r = new NodeResult();
    r.setName(node);
    r.setPhase(RemovalPhase.Pending);
    if (child == null || !ofRun(child, generation)) {
      return r;
    }
    r.copyRunStateFrom(child.getStatus());
    r.setDryRun(child.getSpec().isDryRun() ? Boolean.TRUE : null);
    return r;
  }

  private static void fail(NodeResult r, NodeFailureReason reason, String message) {
    r.setPhase(RemovalPhase.Failed);
    r.setReason(reason);
    r.setMessage(message);
  }

  private static RemovalSummary summarize(List<NodeResult> nodes, long reclaimed) {
    RemovalSummary s = new RemovalSummary();
    s.setNodesTotal(nodes.size());
    for (NodeResult n : nodes) {
      switch (n.getPhase()) {
        case Succeeded -> s.setNodesSucceeded(s.getNodesSucceeded() + 1);
        case Failed -> s.setNodesFailed(s.getNodesFailed() + 1);
        default -> s.setNodesPending(s.getNodesPending() + 1);
      }
      // The agent counts every result, also those its status leaves out for size; an older
      // agent's status has only the list.
      ResultCounts c =
          n.getResultCounts() != null ? n.getResultCounts() : ResultCounts.of(n.getResults());
      s.setUntagged(plus(s.getUntagged(), c.getUntagged()));
      s.setDeleted(plus(s.getDeleted(), c.getDeleted()));
      s.setConflicts(plus(s.getConflicts(), c.getConflicts()));
      s.setErrors(plus(s.getErrors(), c.getErrors()));
      s.setNotFound(plus(s.getNotFound(), c.getNotFound()));
    }
    s.setReclaimedBytes(reclaimed);
    return s;
  }

  /** Names of the spec found on no targeted node, once the run has finished. */
  private static String notFound(ImageRemoval removal, RemovalPhase phase, List<NodeResult> nodes) {
    if (!phase.isFinished()) return "";
    List<String> missing = NotFoundAnywhere.of(removal.getSpec(), nodes);
    return missing.isEmpty()
        ? ""
        : "; not found on any node: " + NotFoundAnywhere.describe(missing);
  }

  /** A sum of counts that are each agent's word: never negative, never wrapping around. */
  static long plus(long sum, long count) {
    long c = Math.max(0, count);
    return c > Long.MAX_VALUE - sum ? Long.MAX_VALUE : sum + c;
  }

  /**
   * Succeeded when every node finished and at most {@code budget} failed (spec.maxFailedNodes);
   * Failed as soon as more than the budget failed, even while others still run.
   */
  private static RemovalPhase phaseOf(RemovalSummary s, List<NodeResult> nodes, int budget) {
    if (s.getNodesFailed() > budget) {
      return s.getNodesPending() == 0 ? RemovalPhase.Failed : RemovalPhase.Running;
    }
    if (s.getNodesPending() == 0) {
      return RemovalPhase.Succeeded;
    }
    boolean anyProgress = nodes.stream().anyMatch(n -> n.getPhase() != RemovalPhase.Pending);
    return anyProgress ? RemovalPhase.Running : RemovalPhase.Pending;
  }

  private static String firstFailure(List<NodeResult> nodes) {
    return nodes.stream()
        .filter(n -> n.getPhase() == RemovalPhase.Failed && n.getReason() != null)
        .map(n -> n.getReason().name())
        .sorted()
        .findFirst()
        .orElse("Failed");
  }

  private static String message(RemovalPhase phase, RemovalSummary s, int budget) {
    String failedAgainstBudget =
        s.getNodesFailed()
            + " of "
            + s.getNodesTotal()
            + " nodes failed, "
            + budget
            + " allowed by spec.maxFailedNodes";
    return switch (phase) {
      case Succeeded ->
          s.getNodesTotal() == 0
              ? "no node matched"
              : s.getNodesFailed() == 0
                  ? "all " + s.getNodesTotal() + " nodes succeeded"
                  : failedAgainstBudget;
      case Failed ->
          budget == 0
              ? s.getNodesFailed() + " of " + s.getNodesTotal() + " nodes failed"
              : failedAgainstBudget;
      default ->
          s.getNodesSucceeded()
              + s.getNodesFailed()
              + " of "
              + s.getNodesTotal()
              + " nodes finished";
    };
  }
}
