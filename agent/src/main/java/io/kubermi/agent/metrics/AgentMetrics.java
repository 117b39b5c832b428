package io.kubermi.agent.metrics;

import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.lastuse.LastUseTracker;
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

  /** What {@link #followLastUse} reports unused bytes for: an hour, a day, a week, 30 days. */
  public static final List<Duration> UNUSED_FOR =
      List.of(
          Duration.ofHours(1), Duration.ofHours(24), Duration.ofHours(168), Duration.ofHours(720));

  /**
   * Gauges of the node's last-use record: the bytes of images unused for at least each of {@link
   * #UNUSED_FOR} (label unused_for, a Go duration), and 1 when the record found at start was
   * damaged and started afresh.
   */
  public void followLastUse(LastUseTracker tracker) {
    for (Duration d : UNUSED_FOR) {
      Gauge.builder("kube_rmi_agent_unused_image_bytes", tracker, t -> t.unusedBytes(d))
          .description(
              "Summed sizes of the images no container has used for at least unused_for (shared"
                  + " layers counted in each image), by the agent's last-use record")
          .tag("unused_for", d.toHours() + "h")
          .baseUnit("bytes")
          .register(registry);
    }
    Gauge.builder(
            "kube_rmi_agent_last_use_record_rebuilt", tracker, t -> t.damage().isPresent() ? 1 : 0)
        .description("1 when the last-use record on disk was damaged at start and begun afresh")
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
