package io.kubermi.operator.metrics;

import io.kubermi.api.RemovalPhase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's metrics: {@code kube_rmi_removals_total{phase}} (finished runs), {@code
 * kube_rmi_removal_duration_seconds}, and {@code kube_rmi_nodes_targeted} (nodes of the runs not
 * finished yet), {@code kube_rmi_reconciles_total} (how often an ImageRemoval was reconciled: what
 * watch events and deadlines cost).
 */
public final class OperatorMetrics {
  private final MeterRegistry registry;
  private final Timer duration;
  private final Counter reconciles;
  private final Map<String, Integer> targetedByRemoval = new ConcurrentHashMap<>();

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.duration =
        Timer.builder("kube_rmi_removal_duration")
            .description("From a run's start to its end")
            .publishPercentileHistogram()
            .register(registry);
    Gauge.builder(
            "kube_rmi_nodes_targeted",
            targetedByRemoval,
            m -> m.values().stream().mapToInt(Integer::intValue).sum())
        .description("Nodes targeted by ImageRemovals still running")
        .register(registry);
    reconciles =
        Counter.builder("kube_rmi_reconciles")
            .description("ImageRemoval reconciles")
            .register(registry);
    for (RemovalPhase p : new RemovalPhase[] {RemovalPhase.Succeeded, RemovalPhase.Failed})
      finishedCounter(p);
    for (String result : SCHEDULE_RESULTS) scheduleRunCounter(result);
  }

  /** What becomes of a schedule's scheduled time. */
  static final List<String> SCHEDULE_RESULTS = List.of("created", "skipped", "missed");

  private Counter scheduleRunCounter(String result) {
    return Counter.builder("kube_rmi_schedule_runs")
        .description("Scheduled times of ImageRemovalSchedules, by what became of them")
        .tag("result", result)
        .register(registry);
  }

  private Counter finishedCounter(RemovalPhase phase) {
    return Counter.builder("kube_rmi_removals")
        .description("ImageRemoval runs finished, by phase")
        .tag("phase", phase.name())
        .register(registry);
  }

  /** A schedule's scheduled time handled: {@code created}, {@code skipped} or {@code missed}. */
  public void scheduleRun(String result) {
    scheduleRunCounter(result).increment();
  }

  public void reconciled() {
    reconciles.increment();
  }

  public double reconciles() {
    return reconciles.count();
  }

  public void running(String removal, int nodes) {
    targetedByRemoval.put(removal, nodes);
  }

  public void finished(String removal, RemovalPhase phase, Duration took) {
    targetedByRemoval.remove(removal);
    finishedCounter(phase).increment();
    duration.record(took);
  }

  public void forget(String removal) {
    targetedByRemoval.remove(removal);
  }
}
