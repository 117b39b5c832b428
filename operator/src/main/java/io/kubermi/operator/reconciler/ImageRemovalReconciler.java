package io.kubermi.operator.reconciler;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
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
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.validation.SpecValidator;
import io.kubermi.operator.metrics.OperatorMetrics;
import io.kubermi.operator.status.StatusAggregator;
import io.kubermi.operator.status.StatusPacer;
import io.kubermi.operator.status.StatusWriter;
import io.kubermi.operator.targeting.NodeChanges;
import io.kubermi.operator.targeting.NodeTargeting;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reconciles an ImageRemoval from what the objects say: validates it, fixes the run's nodes when a
 * generation starts, keeps one NodeImageRemoval per node, and writes the aggregated status. Woken
 * by its children and by Node changes that can affect targeting; timed wake-ups for node deadlines,
 * the TTL and, while a run goes on, a {@link ChildResync} from the API server. The work is done by
 * its collaborators: {@link ChildSet}, {@link StatusAggregator}, {@link StatusWriter}, {@link
 * RunTransitions} and {@link TtlCleanup}.
 */
@ControllerConfiguration(name = "imageremoval")
public final class ImageRemovalReconciler implements Reconciler<ImageRemoval> {
  /** A fan-out still running after this writes a first status, so users see Pending at once. */
  static final Duration FIRST_STATUS_WITHIN = Duration.ofMillis(500);

  /**
   * Above this many child writes (sixteen rounds of the writers) the first status is written before
   * any of them: at tens of milliseconds a write they cannot finish within {@link
   * #FIRST_STATUS_WITHIN}, and a status written among them waits behind them on a busy API server.
   */
  static final int FIRST_STATUS_AT_ONCE_ABOVE = ChildSet.FAN_OUT_CONCURRENCY * 16;

  private final Clock clock;
  private final StatusWriter statusWriter;
  private final StatusPacer pacer;
  private final RunTransitions transitions;
  private final TtlCleanup ttl;
  private final OperatorMetrics metrics;
  private final ChildResync resync;
  private final CacheAudit audit;
  private final LabelSelector excludedNodes;
  // Made in prepareEventSources: JOSDK creates the informers after the reconciler.
  private ChildSet childSet;
  private InformerEventSource<Node, ImageRemoval> nodes;

  ImageRemovalReconciler(
      Clock clock,
      StatusWriter statusWriter,
      StatusPacer pacer,
      RunTransitions transitions,
      TtlCleanup ttl,
      OperatorMetrics metrics,
      ChildResync resync,
      CacheAudit audit,
      LabelSelector excludedNodes) {
    this.excludedNodes = excludedNodes;
    this.resync = resync;
    this.audit = audit;
    this.clock = clock;
    this.statusWriter = statusWriter;
    this.pacer = pacer;
    this.transitions = transitions;
    this.ttl = ttl;
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, ImageRemoval>> prepareEventSources(
      EventSourceContext<ImageRemoval> ctx) {
    InformerEventSource<NodeImageRemoval, ImageRemoval> children =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(NodeImageRemoval.class, ImageRemoval.class)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(ImageRemoval.class, true))
                .build(),
            ctx);
    childSet = new ChildSet(ctx.getClient(), children);
    audit.watch(ctx.getPrimaryCache());
    // A node added, deleted or relabelled may matter to any unfinished removal; a status update
    // never does.
    nodes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Node.class, ImageRemoval.class)
                .withSecondaryToPrimaryMapper(n -> unfinished(ctx))
                .withPrimaryToSecondaryMapper(p -> Set.of())
                .withOnUpdateFilter(NodeChanges::affectTargeting)
                .build(),
            ctx);
    return List.of(children, nodes);
  }

  private static Set<ResourceID> unfinished(EventSourceContext<ImageRemoval> ctx) {
    return ctx.getPrimaryCache()
        .list()
        .filter(
            r ->
                r.getStatus() == null
                    || r.getStatus().getPhase() == null
                    || !r.getStatus().getPhase().isFinished())
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  @Override
  public UpdateControl<ImageRemoval> reconcile(ImageRemoval cached, Context<ImageRemoval> context)
      throws InterruptedException {
    metrics.reconciled();
    Instant now = clock.instant();
    ImageRemoval removal = statusWriter.newest(cached);
    // Checked before any other work, the children included: at thousands of nodes most events
    // arrive while a write is held, and a held run has its nodes fixed, so there is nothing else to
    // do until the write. The write that can finish the run (every child done) is never held.
    long generation = StatusAggregator.generationOf(removal);
    Duration hold = pacer.holdOff(removal, generation, now);
    if (!hold.isZero() && !childSet.allFinished(removal, generation)) {
      return UpdateControl.<ImageRemoval>noUpdate().rescheduleAfter(hold);
    }
    Set<NodeImageRemoval> children = context.getSecondaryResources(NodeImageRemoval.class);
    List<String> problems = SpecValidator.validate(removal.getSpec());
    if (!problems.isEmpty()) {
      childSet.deleteExcept(children, Set.of());
      StatusWriter.Written w =
          statusWriter.write(removal, current -> StatusAggregator.invalid(current, problems, now));
      if (w != null) transitions.refused(removal, w.previous(), w.status(), problems);
      return UpdateControl.noUpdate();
    }
    Map<String, NodeImageRemoval> byNode =
        resync.due(removal, now) ? childSet.listedNow(removal) : ChildSet.byNode(children);
    List<Node> nodeList = nodes.list().toList();
    Set<String> existing =
        nodeList.stream()
            .map(n -> n.getMetadata().getName())
            .collect(Collectors.toCollection(TreeSet::new));
    NodeTargeting.Targets targets = runTargets(removal, byNode, nodeList, existing, now);
    ImageRemoval base = statusWriter.newest(removal); // a first status written in the fan-out
    StatusWriter.Written w =
        statusWriter.write(
            base,
            current -> StatusAggregator.compute(current, targets, byNode, existing, now).status());
    if (w == null) {
      return UpdateControl.noUpdate();
    }
    if (w.changed()) pacer.written(base, now);
    transitions.record(removal, w.previous(), w.status());
    if (TtlCleanup.due(removal, w.status(), now)) {
      ttl.delete(removal, childSet, byNode.values());
      return UpdateControl.noUpdate();
    }
    return wakeUpAt(resync.wakeUp(removal, w.status(), now), now);
  }

  /**
   * The run's nodes. They are fixed when a generation's run starts (children are created then);
   * afterwards they are the nodes with a child of this generation, whatever the labels say now.
   */
  private NodeTargeting.Targets runTargets(
      ImageRemoval removal,
      Map<String, NodeImageRemoval> byNode,
      List<Node> nodeList,
      Set<String> existing,
      Instant now)
      throws InterruptedException {
    long generation = StatusAggregator.generationOf(removal);
    ImageRemovalStatus previous = removal.getStatus();
    NodeTargeting.Targets resolved =
        NodeTargeting.resolve(removal.getSpec(), nodeList, excludedNodes);
    boolean runStarted =
        previous != null
            && Objects.equals(previous.getObservedGeneration(), generation)
            && previous.getStartedAt() != null;
    if (runStarted) {
      Set<String> runNodes =
          byNode.values().stream()
              .filter(c -> Objects.equals(c.getSpec().getRemovalGeneration(), generation))
              .map(c -> c.getSpec().getNodeName())
              .collect(Collectors.toCollection(TreeSet::new));
      return new NodeTargeting.Targets(runNodes, resolved.missing(), resolved.excluded());
    }
    Collection<NodeImageRemoval> all = List.copyOf(byNode.values());
    childSet.deleteExcept(all, resolved.nodes());
    Runnable first = () -> firstStatus(removal, resolved, existing, now);
    boolean large =
        ChildSet.writesNeeded(removal, resolved.nodes(), byNode) > FIRST_STATUS_AT_ONCE_ABOVE;
    if (large) first.run();
    byNode.putAll(
        childSet.ensureAll(
            removal, resolved.nodes(), byNode, FIRST_STATUS_WITHIN, large ? () -> {} : first));
    transitions.started(removal, generation, resolved.nodes().size());
    return resolved;
  }

  /**
   * While a large fan-out still creates children: every node Pending, and no startedAt yet, since
   * the run's nodes are fixed only once each has its child. An operator that stops before then
   * finds no startedAt and fans out again, to the nodes the selector matches at that time.
   */
  private void firstStatus(
      ImageRemoval removal, NodeTargeting.Targets targets, Set<String> existing, Instant now) {
    statusWriter.write(
        removal,
        current -> {
          ImageRemovalStatus s =
              StatusAggregator.compute(current, targets, Map.of(), existing, now).status();
          s.setStartedAt(null);
          return s;
        });
  }

  private static UpdateControl<ImageRemoval> wakeUpAt(Optional<Instant> at, Instant now) {
    UpdateControl<ImageRemoval> control = UpdateControl.noUpdate();
    at.ifPresent(
        t -> {
          Duration d = Duration.between(now, t);
          control.rescheduleAfter(
              d.isNegative() || d.isZero() ? Duration.ofMillis(200) : d.plusMillis(50));
        });
    return control;
  }
}
