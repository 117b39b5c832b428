package io.kubermi.agent.metrics;

import io.kubermi.agent.engine.Engine;
import io.kubermi.api.ImageResult;
import io.kubermi.api.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;

/**
 * The agent's metrics, all prefixed {@code kube_rmi_agent_}; labels are low-cardinality (a result
 * outcome, never an image name). engine_up is measured when scraped, so an idle agent does no work.
 */
public final class AgentMetrics {
  private final MeterRegistry registry;
  private final Counter untagged;
  private final Counter deleted;
  private final Counter reclaimed;
  private final Counter pruneReclaimed;
  private final Timer removal;
  private final Counter runFailures;

  public AgentMetrics(MeterRegistry registry, Engine engine) {
    this.registry = registry;
    this.untagged =
        Counter.builder("kube_rmi_agent_images_untagged")
            .description("References untagged")
            .register(registry);
    this.deleted =
        Counter.builder("kube_rmi_agent_images_deleted")
            .description("Images and layers deleted")
            .register(registry);
    this.reclaimed =
        Counter.builder("kube_rmi_agent_reclaimed_bytes")
            .description(
                "Bytes freed on the node: deleted layers, and on containerd the blobs collected with them")
            .baseUnit("bytes")
            .register(registry);
    this.pruneReclaimed =
        Counter.builder("kube_rmi_agent_prune_reclaimed_bytes")
            .description("The part of kube_rmi_agent_reclaimed_bytes freed by prunes (spec.prune)")
            .baseUnit("bytes")
            .register(registry);
    this.removal =
        Timer.builder("kube_rmi_agent_removal")
            .description("Time to run one NodeImageRemoval")
            .publishPercentileHistogram()
            .register(registry);
    this.runFailures =
        Counter.builder("kube_rmi_agent_run_failures")
            .description(
                "Runs the agent failed on unexpectedly (a bug, not the engine's or the API's"
                    + " failure); each is set aside and retried with backoff")
            .register(registry);
    Gauge.builder("kube_rmi_agent_engine_up", engine, e -> e.isUp() ? 1 : 0)
        .description("1 when the engine answers")
        .register(registry);
    for (Outcome o : List.of(Outcome.Conflict, Outcome.Protected, Outcome.Error)) conflicts(o);
  }

  private Counter conflicts(Outcome reason) {
    return Counter.builder("kube_rmi_agent_conflicts")
        .description("Images not removed, by reason")
        .tag("reason", reason.name())
        .register(registry);
  }

  /** Counts a run the agent failed on unexpectedly. */
  public void runFailed() {
    runFailures.increment();
  }

  /** Counts one finished NodeImageRemoval. */
  public void record(List<ImageResult> results, long reclaimedBytes, Duration took, boolean prune) {
    if (prune) pruneReclaimed.increment(reclaimedBytes);
    for (ImageResult r : results) {
      untagged.increment(r.getUntagged().size());
      deleted.increment(r.getDeleted().size());
      if (r.getOutcome() == Outcome.Conflict
          || r.getOutcome() == Outcome.Protected
          || r.getOutcome() == Outcome.Error) {
        conflicts(r.getOutcome()).increment();
      }
    }
    reclaimed.increment(reclaimedBytes);
    removal.record(took);
  }
}
