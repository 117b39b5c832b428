package io.kubermi.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalStatus;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.operator.metrics.OperatorMetrics;
import io.kubermi.operator.status.StatusAggregator;
import io.kubermi.operator.status.StatusWriter;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * ttlSecondsAfterFinished, as a Job has it: a finished removal and its children are deleted once it
 * passed.
 */
final class TtlCleanup {
  private final KubernetesClient client;
  private final StatusWriter statusWriter;
  private final OperatorMetrics metrics;

  TtlCleanup(KubernetesClient client, StatusWriter statusWriter, OperatorMetrics metrics) {
    this.client = client;
    this.statusWriter = statusWriter;
    this.metrics = metrics;
  }

  static boolean due(ImageRemoval removal, ImageRemovalStatus status, Instant now) {
    if (removal.getSpec().getTtlSecondsAfterFinished() == null || !status.getPhase().isFinished()) {
      return false;
    }
    Optional<Instant> at = StatusAggregator.nextWakeUp(removal.getSpec(), status);
    return at.isPresent() && !now.isBefore(at.get());
  }

  void delete(ImageRemoval removal, ChildSet children, Iterable<NodeImageRemoval> all) {
    children.deleteExcept(all, Set.of());
    client.resource(removal).delete();
    statusWriter.forget(removal.getMetadata().getUid());
    metrics.forget(removal.getMetadata().getName());
  }
}
