package io.kubermi.operator.reconciler;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubermi.operator.events.EventRecorder;
import io.kubermi.operator.metrics.OperatorMetrics;
import io.kubermi.operator.schedule.ImageRemovalScheduleReconciler;
import io.kubermi.operator.status.ApiStatusStore;
import io.kubermi.operator.status.StatusPacer;
import io.kubermi.operator.status.StatusWriter;
import java.time.Clock;
import java.time.Duration;

/** Wires the reconcilers with their collaborators on one client and clock. */
public final class Reconcilers {
  private Reconcilers() {}

  public static ImageRemovalScheduleReconciler schedule(
      KubernetesClient client, Clock clock, OperatorMetrics metrics) {
    return new ImageRemovalScheduleReconciler(
        client, clock, new EventRecorder(client, clock), metrics);
  }

  public static ImageRemovalReconciler imageRemoval(
      KubernetesClient client,
      Clock clock,
      OperatorMetrics metrics,
      Duration resync,
      CacheAudit audit,
      LabelSelector excludedNodes) {
    StatusWriter statusWriter = new StatusWriter(new ApiStatusStore(client));
    return new ImageRemovalReconciler(
        clock,
        statusWriter,
        new StatusPacer(),
        new RunTransitions(new EventRecorder(client, clock), metrics),
        new TtlCleanup(client, statusWriter, metrics),
        metrics,
        new ChildResync(resync),
        audit,
        excludedNodes);
  }
}
