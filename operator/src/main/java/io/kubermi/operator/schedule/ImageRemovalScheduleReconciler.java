package io.kubermi.operator.schedule;

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
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalSchedule;
import io.kubermi.api.ImageRemovalScheduleStatus;
import io.kubermi.operator.events.EventReason;
import io.kubermi.operator.events.EventRecorder;
import io.kubermi.operator.metrics.OperatorMetrics;
import io.kubermi.runtime.JsonPatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Reconciles an ImageRemovalSchedule as the CronJob controller reconciles a CronJob: creates the
 * run of a due scheduled time (at most one per time: the name is fixed by it), skips it under
 * Forbid or past the starting deadline, replaces unfinished runs under Replace, keeps the history
 * limits, and writes the status. Woken by its runs and, never polling, at the next scheduled time.
 */
@ControllerConfiguration(name = "imageremovalschedule")
public final class ImageRemovalScheduleReconciler implements Reconciler<ImageRemovalSchedule> {
  private final KubernetesClient client;
  private final Clock clock;
  private final ScheduleRuns runs;
  private final EventRecorder events;
  private final OperatorMetrics metrics;

  public ImageRemovalScheduleReconciler(
      KubernetesClient client, Clock clock, EventRecorder events, OperatorMetrics metrics) {
    this.client = client;
    this.clock = clock;
    this.runs = new ScheduleRuns(client);
    this.events = events;
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, ImageRemovalSchedule>> prepareEventSources(
      EventSourceContext<ImageRemovalSchedule> ctx) {
    return List.of(
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ImageRemoval.class, ImageRemovalSchedule.class)
                .withSecondaryToPrimaryMapper(
                    Mappers.fromOwnerReferences(ImageRemovalSchedule.class, true))
                .build(),
            ctx));
  }

  @Override
  public UpdateControl<ImageRemovalSchedule> reconcile(
      ImageRemovalSchedule schedule, Context<ImageRemovalSchedule> context) {
    Instant now = clock.instant();
    List<ScheduledRun> owned =
        ScheduleRuns.of(schedule, context.getSecondaryResources(ImageRemoval.class));
    ScheduleDecision.Result d = ScheduleDecision.decide(schedule, owned, now);
    ImageRemovalScheduleStatus previous = schedule.getStatus();
    if (!d.problems().isEmpty() && !wasStalled(previous)) {
      events.record(schedule, EventReason.InvalidSpec, String.join("; ", d.problems()));
    }
    for (String name : d.replace()) {
      runs.delete(name);
      events.record(schedule, EventReason.RunReplaced, "deleted unfinished run " + name);
    }
    d.create()
        .ifPresent(
            t -> {
              if (runs.create(schedule, t)) {
                String name = ScheduleDecision.runName(schedule.getMetadata().getName(), t);
                events.record(
                    schedule, EventReason.RunCreated, "created run " + name + " for " + t);
                if (metrics != null) metrics.scheduleRun("created");
              }
            });
    d.skip()
        .ifPresent(
            s -> {
              events.record(
                  schedule,
                  s.missed() ? EventReason.RunMissed : EventReason.RunSkipped,
                  s.message());
              if (metrics != null) metrics.scheduleRun(s.missed() ? "missed" : "skipped");
            });
    d.prune().forEach(runs::delete);
    if (!Objects.equals(previous, d.status())) {
      writeStatus(schedule, d.status());
    }
    UpdateControl<ImageRemovalSchedule> control = UpdateControl.noUpdate();
    d.wakeUp().ifPresent(t -> control.rescheduleAfter(Duration.between(now, t).plusMillis(100)));
    return control;
  }

  private static boolean wasStalled(ImageRemovalScheduleStatus s) {
    return s != null
        && s.getConditions() != null
        && s.getConditions().stream()
            .anyMatch(c -> c.getType().equals("Stalled") && c.getStatus().equals("True"));
  }

  /**
   * One JSON patch setting the whole status, conditioned on the resourceVersion it was computed
   * from: a write that lost a race fails and the reconcile runs again on fresh objects.
   */
  private void writeStatus(ImageRemovalSchedule schedule, ImageRemovalScheduleStatus status) {
    try {
      // By the object, not by its name: a patch by name costs a GET before it (see ApiStatusStore).
      client
          .resources(ImageRemovalSchedule.class)
          .resource(schedule)
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON),
              JsonPatch.setIfAt(schedule.getMetadata().getResourceVersion(), "/status", status));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) throw e; // deleted meanwhile: nothing to describe
    }
  }
}
