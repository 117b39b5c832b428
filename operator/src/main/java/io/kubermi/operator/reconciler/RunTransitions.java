package io.kubermi.operator.reconciler;

import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalSpec;
import io.kubermi.api.ImageRemovalStatus;
import io.kubermi.api.NodeResult;
import io.kubermi.api.Outcome;
import io.kubermi.api.RemovalPhase;
import io.kubermi.api.validation.SpecValidator;
import io.kubermi.operator.events.EventReason;
import io.kubermi.operator.events.EventRecorder;
import io.kubermi.operator.metrics.OperatorMetrics;
import io.kubermi.operator.status.NotFoundAnywhere;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a user and an SRE are told when a run changes: an Event when it starts, when a node fails
 * and when it finishes, and the metrics of running and finished runs. Told once per change: each
 * method compares the status written with the one it replaced.
 */
final class RunTransitions {
  private final EventRecorder events;
  private final OperatorMetrics metrics;

  RunTransitions(EventRecorder events, OperatorMetrics metrics) {
    this.events = events;
    this.metrics = metrics;
  }

  void started(ImageRemoval removal, long generation, int nodes) {
    events.record(
        removal,
        EventReason.Started,
        "generation "
            + generation
            + ": "
            + what(removal.getSpec())
            + " on "
            + nodes
            + " node(s)"
            + (removal.getSpec().isDryRun() ? " (dry run)" : ""));
  }

  private static String what(ImageRemovalSpec spec) {
    if (spec.isPruning()) {
      return "docker image prune" + (spec.getPrune().isAll() ? " -a" : "");
    }
    return "removing " + spec.getImages().size() + " image(s)";
  }

  /** An InvalidSpec Event, once per refused generation. */
  void refused(
      ImageRemoval removal,
      ImageRemovalStatus previous,
      ImageRemovalStatus invalid,
      List<String> problems) {
    if (previous == null
        || !Objects.equals(previous.getObservedGeneration(), invalid.getObservedGeneration())
        || previous.getPhase() != RemovalPhase.Failed) {
      events.record(removal, EventReason.InvalidSpec, String.join("; ", problems));
    }
  }

  /** Events for nodes that newly failed and for the run's end; the metrics of the run. */
  void record(ImageRemoval removal, ImageRemovalStatus previous, ImageRemovalStatus status) {
    boolean sameRun =
        previous != null
            && Objects.equals(previous.getObservedGeneration(), status.getObservedGeneration())
            && previous.getStartedAt() != null;
    Map<String, RemovalPhase> before = new HashMap<>();
    if (sameRun && previous.getNodes() != null) {
      for (NodeResult n : previous.getNodes()) before.put(n.getName(), n.getPhase());
    }
    for (NodeResult n : status.getNodes()) {
      if (n.getPhase() == RemovalPhase.Failed && before.get(n.getName()) != RemovalPhase.Failed) {
        events.record(removal, EventReason.NodeFailed, nodeFailure(n));
      }
    }
    String name = removal.getMetadata().getName();
    if (!status.getPhase().isFinished()) {
      metrics.running(name, status.getSummary().getNodesTotal());
      return;
    }
    boolean wasFinished =
        sameRun && previous.getPhase() != null && previous.getPhase().isFinished();
    if (!wasFinished) {
      metrics.finished(
          name,
          status.getPhase(),
          Duration.between(
              Instant.parse(status.getStartedAt()), Instant.parse(status.getFinishedAt())));
      String msg =
          status.getProgress()
              + " nodes succeeded; untagged "
              + status.getSummary().getUntagged()
              + ", deleted "
              + status.getSummary().getDeleted()
              + ", conflicts "
              + status.getSummary().getConflicts()
              + failureBudget(removal, status);
      events.record(
          removal,
          status.getPhase() == RemovalPhase.Succeeded ? EventReason.Succeeded : EventReason.Failed,
          msg);
      // Only from every node's entry: a capped list would leave nodes out of the count.
      List<String> missing =
          status.getNodesOmitted() == null
              ? NotFoundAnywhere.of(removal.getSpec(), status.getNodes())
              : List.of();
      if (!missing.isEmpty()) {
        events.record(
            removal,
            EventReason.NotFound,
            "not found on any of the "
                + status.getSummary().getNodesTotal()
                + " targeted node(s): "
                + NotFoundAnywhere.describe(missing));
      }
    }
  }

  /** How many nodes failed against spec.maxFailedNodes, when any did. */
  private static String failureBudget(ImageRemoval removal, ImageRemovalStatus status) {
    int failed = status.getSummary().getNodesFailed();
    if (failed == 0) {
      return "";
    }
    int budget =
        SpecValidator.failureBudget(
            removal.getSpec().getMaxFailedNodes(), status.getSummary().getNodesTotal());
    return "; " + failed + " node(s) failed, " + budget + " allowed by spec.maxFailedNodes";
  }

  /** The engine's own words for the node's first failed image say more than a count. */
  private static String nodeFailure(NodeResult n) {
    String firstProblem =
        n.getResults().stream()
            .filter(
                r ->
                    r.getOutcome() != Outcome.Removed
                        && r.getOutcome() != Outcome.NotFound
                        && r.getMessage() != null)
            .map(r -> r.getImage() + ": " + r.getMessage())
            .findFirst()
            .orElse(null);
    String detail = firstProblem != null ? firstProblem : n.getMessage();
    return "node " + n.getName() + ": " + n.getReason() + (detail == null ? "" : ": " + detail);
  }
}
