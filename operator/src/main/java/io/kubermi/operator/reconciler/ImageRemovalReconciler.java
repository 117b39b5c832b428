package io.kubermi.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalStatus;
import io.kubermi.api.JsonPatch;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeResult;
import io.kubermi.api.Outcome;
import io.kubermi.api.RemovalPhase;
import io.kubermi.api.validation.SpecValidator;
import io.kubermi.operator.metrics.OperatorMetrics;
import io.kubermi.operator.status.StatusAggregator;
import io.kubermi.operator.targeting.NodeTargeting;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reconciles an ImageRemoval from what the objects say: validates it, fixes the run's nodes when a
 * generation starts, keeps one NodeImageRemoval per node, and writes the aggregated status.
 * Woken by its children and by Nodes; a timed wake-up only for node deadlines and the TTL.
 */
@ControllerConfiguration(name = "imageremoval")
public final class ImageRemovalReconciler implements Reconciler<ImageRemoval> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Clock clock;
  private final RemovalEvents events;
  private final OperatorMetrics metrics;
  /**
   * The last status this process wrote, by uid. The operator is the only writer of these statuses
   * and the leader the only writing process, so its own last write is the newest; JOSDK's cache
   * may not have seen it yet when the next event arrives.
   */
  private final Map<String, ImageRemovalStatus> written = new java.util.concurrent.ConcurrentHashMap<>();
  private InformerEventSource<NodeImageRemoval, ImageRemoval> children;
  private InformerEventSource<Node, ImageRemoval> nodes;

  public ImageRemovalReconciler(Clock clock, RemovalEvents events, OperatorMetrics metrics) {
    this.clock = clock;
    this.events = events;
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, ImageRemoval>> prepareEventSources(EventSourceContext<ImageRemoval> ctx) {
    children = new InformerEventSource<>(InformerEventSourceConfiguration.from(NodeImageRemoval.class, ImageRemoval.class)
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(ImageRemoval.class, true)).build(), ctx);
    // Any node change may matter to any unfinished removal (a node gone, a node labelled).
    nodes = new InformerEventSource<>(InformerEventSourceConfiguration.from(Node.class, ImageRemoval.class)
        .withSecondaryToPrimaryMapper(n -> ctx.getPrimaryCache().list()
            .filter(r -> r.getStatus() == null || r.getStatus().getPhase() == null || !r.getStatus().getPhase().isFinished())
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper(p -> Set.of()).build(), ctx);
    return List.of(children, nodes);
  }

  @Override
  public UpdateControl<ImageRemoval> reconcile(ImageRemoval removal, Context<ImageRemoval> context) {
    Instant now = clock.instant();
    KubernetesClient client = context.getClient();
    ImageRemovalStatus mine = written.get(removal.getMetadata().getUid());
    if (mine != null) {
      removal.setStatus(mine); // the cache may lag behind this process's own last write
    }
    ImageRemovalStatus previous = removal.getStatus();
    List<String> problems = SpecValidator.validate(removal.getSpec());
    if (!problems.isEmpty()) {
      deleteChildren(client, context.getSecondaryResources(NodeImageRemoval.class), Set.of());
      ImageRemovalStatus invalid = StatusAggregator.invalid(removal, problems, now);
      if (previous == null || !Objects.equals(previous.getObservedGeneration(), invalid.getObservedGeneration())
          || previous.getPhase() != RemovalPhase.Failed) {
        events.warning(removal, "InvalidSpec", String.join("; ", problems));
      }
      return patchIfChanged(client, removal, invalid, null);
    }

    long generation = StatusAggregator.generationOf(removal);
    Map<String, NodeImageRemoval> byNode = new HashMap<>();
    for (NodeImageRemoval c : context.getSecondaryResources(NodeImageRemoval.class)) {
      byNode.put(c.getSpec().getNodeName(), c);
    }
    List<Node> nodeList = nodes.list().toList();
    Set<String> existing = nodeList.stream().map(n -> n.getMetadata().getName()).collect(Collectors.toCollection(TreeSet::new));
    boolean runStarted = previous != null && Objects.equals(previous.getObservedGeneration(), generation) && previous.getStartedAt() != null;
    NodeTargeting.Targets targets;
    if (runStarted) {
      // The run's nodes were fixed when it started: those with a child of this generation.
      Set<String> runNodes = byNode.values().stream().filter(c -> Objects.equals(c.getSpec().getRemovalGeneration(), generation))
          .map(c -> c.getSpec().getNodeName()).collect(Collectors.toCollection(TreeSet::new));
      targets = new NodeTargeting.Targets(runNodes, NodeTargeting.resolve(removal.getSpec(), nodeList).missing());
    } else {
      targets = NodeTargeting.resolve(removal.getSpec(), nodeList);
      deleteChildren(client, byNode.values(), targets.nodes());
      for (String node : targets.nodes()) {
        byNode.put(node, ensureChild(client, removal, node, byNode.get(node)));
      }
      events.normal(removal, "Started", "generation " + generation + ": removing " + removal.getSpec().getImages().size()
          + " image(s) on " + targets.nodes().size() + " node(s)" + (removal.getSpec().isDryRun() ? " (dry run)" : ""));
    }

    StatusAggregator.Result result = StatusAggregator.compute(removal, targets, byNode, existing, now);
    ImageRemovalStatus status = result.status();
    recordTransitions(removal, previous, status, runStarted);
    if (status.getPhase().isFinished() && removal.getSpec().getTtlSecondsAfterFinished() != null
        && result.nextWakeUp().isPresent() && !now.isBefore(result.nextWakeUp().get())) {
      deleteChildren(client, byNode.values(), Set.of());
      client.resource(removal).delete();
      written.remove(removal.getMetadata().getUid());
      metrics.forget(removal.getMetadata().getName());
      return UpdateControl.noUpdate();
    }
    return patchIfChanged(client, removal, status, result.nextWakeUp().map(t -> Duration.between(now, t)).orElse(null));
  }

  private NodeImageRemoval ensureChild(KubernetesClient client, ImageRemoval removal, String node, NodeImageRemoval existing) {
    NodeImageRemoval desired = ChildFactory.desired(removal, node);
    if (existing == null) {
      try {
        NodeImageRemoval created = client.resource(desired).create();
        children.handleRecentResourceCreate(ResourceID.fromResource(created), created);
        return created;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) throw e;
        existing = client.resources(NodeImageRemoval.class).withName(desired.getMetadata().getName()).get();
      }
    }
    if (Objects.equals(existing.getSpec().getRemovalGeneration(), desired.getSpec().getRemovalGeneration())) {
      return existing;
    }
    // A JSON patch setting the whole spec: the same on the API server and the test server (see JsonPatch).
    NodeImageRemoval updated = client.resources(NodeImageRemoval.class).withName(existing.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON), JsonPatch.set("/spec", desired.getSpec()));
    children.handleRecentResourceUpdate(ResourceID.fromResource(updated), updated, existing);
    return updated;
  }

  /** Deletes children whose node is not in keep (all when keep is empty). */
  private static void deleteChildren(KubernetesClient client, Iterable<NodeImageRemoval> all, Set<String> keep) {
    for (NodeImageRemoval c : all) {
      if (!keep.contains(c.getSpec().getNodeName())) {
        client.resource(c).delete();
      }
    }
  }

  private void recordTransitions(ImageRemoval removal, ImageRemovalStatus previous, ImageRemovalStatus status, boolean sameRun) {
    Map<String, RemovalPhase> before = new HashMap<>();
    if (sameRun && previous.getNodes() != null) {
      for (NodeResult n : previous.getNodes()) before.put(n.getName(), n.getPhase());
    }
    for (NodeResult n : status.getNodes()) {
      if (n.getPhase() == RemovalPhase.Failed && before.get(n.getName()) != RemovalPhase.Failed) {
        // The engine's own words for the first failed image say more than a count.
        String firstProblem = n.getResults().stream()
            .filter(r -> r.getOutcome() != Outcome.Removed && r.getOutcome() != Outcome.NotFound && r.getMessage() != null)
            .map(r -> r.getImage() + ": " + r.getMessage()).findFirst().orElse(null);
        String detail = firstProblem != null ? firstProblem : n.getMessage();
        events.warning(removal, "NodeFailed", "node " + n.getName() + ": " + n.getReason() + (detail == null ? "" : ": " + detail));
      }
    }
    boolean wasFinished = sameRun && previous.getPhase() != null && previous.getPhase().isFinished();
    if (!status.getPhase().isFinished()) {
      metrics.running(removal.getMetadata().getName(), status.getSummary().getNodesTotal());
    }
    if (status.getPhase().isFinished() && !wasFinished) {
      metrics.finished(removal.getMetadata().getName(), status.getPhase(),
          Duration.between(Instant.parse(status.getStartedAt()), Instant.parse(status.getFinishedAt())));
      String msg = status.getProgress() + " nodes succeeded; untagged " + status.getSummary().getUntagged() + ", deleted "
          + status.getSummary().getDeleted() + ", conflicts " + status.getSummary().getConflicts();
      if (status.getPhase() == RemovalPhase.Succeeded) events.normal(removal, "Succeeded", msg); else events.warning(removal, "Failed", msg);
    }
  }

  /**
   * Writes the status only when it changed, as one JSON patch setting the whole status (not JOSDK's
   * computed diff: its copy operations are not applied reliably by the test server, and a whole
   * status is what this class computes anyway). Reschedules only for a deadline.
   */
  private UpdateControl<ImageRemoval> patchIfChanged(KubernetesClient client, ImageRemoval removal, ImageRemovalStatus status,
                                                     Duration wakeUp) {
    if (!JSON.valueToTree(status).equals(removal.getStatus() == null ? null : JSON.valueToTree(removal.getStatus()))) {
      client.resources(ImageRemoval.class).withName(removal.getMetadata().getName()).subresource("status")
          .patch(PatchContext.of(PatchType.JSON), JsonPatch.set("/status", status));
      written.put(removal.getMetadata().getUid(), status);
    }
    UpdateControl<ImageRemoval> control = UpdateControl.noUpdate();
    if (wakeUp != null) {
      control.rescheduleAfter(wakeUp.isNegative() || wakeUp.isZero() ? Duration.ofMillis(200) : wakeUp.plusMillis(50));
    }
    return control;
  }
}
