package io.kubermi.agent.watch;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.RemovalOptions;
import io.kubermi.agent.metrics.AgentMetrics;
import io.kubermi.api.ImageResult;
import io.kubermi.api.NodeFailureReason;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeImageRemovalSpec;
import io.kubermi.api.NodeImageRemovalStatus;
import io.kubermi.api.Outcome;
import io.kubermi.api.RemovalPhase;
import io.kubermi.api.validation.SpecValidator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Executes one NodeImageRemoval on this node's engine and writes its status: Running with startedAt
 * before the engine is touched, the results after every chunk of images (so a restarted agent
 * resumes where the status says it stopped), then the phase and finishedAt. Only this node's agent
 * writes these statuses.
 */
final class RemovalRunner {
  private final NodeStatusWriter writer;
  private final Engine engine;
  private final Clock clock;
  private final int chunkSize;
  private final AgentMetrics metrics;

  RemovalRunner(
      KubernetesClient client, Engine engine, Clock clock, int chunkSize, AgentMetrics metrics) {
    this.writer = new NodeStatusWriter(client);
    this.engine = engine;
    this.clock = clock;
    this.chunkSize = chunkSize;
    this.metrics = metrics;
  }

  /** Whether the object holds work for this agent: a generation not yet finished. */
  static boolean needsWork(NodeImageRemoval o) {
    NodeImageRemovalStatus s = o.getStatus();
    return s == null
        || s.getPhase() == null
        || !Objects.equals(s.getObservedGeneration(), o.getSpec().getRemovalGeneration())
        || !s.getPhase().isFinished();
  }

  void run(NodeImageRemoval o) {
    NodeImageRemovalSpec spec = o.getSpec();
    NodeImageRemovalStatus previous = o.getStatus();
    boolean resuming =
        previous != null
            && Objects.equals(previous.getObservedGeneration(), spec.getRemovalGeneration())
            && previous.getPhase() == RemovalPhase.Running;
    NodeImageRemovalStatus status =
        resuming ? resumed(previous) : started(spec.getRemovalGeneration());
    // Bytes freed so far in this run: what a previous agent wrote, plus what this engine frees now.
    long reclaimedBefore = status.getReclaimedBytes();
    long engineBefore = engine.reclaimedBytes();
    LongSupplier reclaimed = () -> reclaimedBefore + engine.reclaimedBytes() - engineBefore;

    List<String> problems = SpecValidator.validateParameters(spec, "spec", new ArrayList<>());
    if (!problems.isEmpty()) {
      status.setResults(new ArrayList<>());
      status.setEngine(null);
      finish(
          o,
          status,
          RemovalPhase.Failed,
          NodeFailureReason.InvalidSpec,
          String.join("; ", problems));
      return;
    }
    try {
      status.setEngine(engine.info().display());
    } catch (EngineException e) {
      status.setEngine(null);
      finish(o, status, RemovalPhase.Failed, NodeFailureReason.EngineError, e.getMessage());
      return;
    }
    if (!resuming) {
      writer.write(o, status);
    }
    try {
      removeInChunks(o, status, reclaimed);
    } catch (EngineException e) {
      status.setReclaimedBytes(reclaimed.getAsLong());
      finish(o, status, RemovalPhase.Failed, NodeFailureReason.EngineError, e.getMessage());
      return;
    }
    status.setReclaimedBytes(reclaimed.getAsLong());
    finishFromResults(o, status);
  }

  private NodeImageRemovalStatus started(long generation) {
    NodeImageRemovalStatus s = new NodeImageRemovalStatus();
    s.setObservedGeneration(generation);
    s.setPhase(RemovalPhase.Running);
    s.setStartedAt(clock.instant().toString());
    s.setReclaimedBytes(0L);
    return s;
  }

  private static NodeImageRemovalStatus resumed(NodeImageRemovalStatus previous) {
    NodeImageRemovalStatus s = new NodeImageRemovalStatus();
    s.setObservedGeneration(previous.getObservedGeneration());
    s.setPhase(RemovalPhase.Running);
    s.setStartedAt(previous.getStartedAt());
    s.setEngine(previous.getEngine());
    s.setResults(
        new ArrayList<>(previous.getResults() == null ? List.of() : previous.getResults()));
    s.setReclaimedBytes(previous.getReclaimedBytes() == null ? 0L : previous.getReclaimedBytes());
    return s;
  }

  /**
   * The images not yet in the results, a chunk at a time, each chunk's results written before the
   * next.
   */
  private void removeInChunks(
      NodeImageRemoval o, NodeImageRemovalStatus status, LongSupplier reclaimed) {
    NodeImageRemovalSpec spec = o.getSpec();
    RemovalOptions options =
        new RemovalOptions(spec.isForce(), spec.isNoPrune(), spec.getPlatforms(), spec.isDryRun());
    List<String> images = spec.getImages();
    List<ImageResult> results = status.getResults();
    for (int from = results.size(); from < images.size(); from += chunkSize) {
      results.addAll(
          engine.remove(images.subList(from, Math.min(images.size(), from + chunkSize)), options));
      if (results.size() < images.size()) {
        status.setReclaimedBytes(reclaimed.getAsLong());
        writer.write(o, status);
      }
    }
  }

  /**
   * Failed when any image ended in an engine error or a conflict (a protected image counts under
   * force).
   */
  private void finishFromResults(NodeImageRemoval o, NodeImageRemovalStatus status) {
    boolean force = o.getSpec().isForce();
    long errors = status.getResults().stream().filter(r -> r.getOutcome() == Outcome.Error).count();
    long conflicts =
        status.getResults().stream()
            .filter(
                r ->
                    r.getOutcome() == Outcome.Conflict
                        || (r.getOutcome() == Outcome.Protected && force))
            .count();
    if (errors > 0) {
      finish(
          o,
          status,
          RemovalPhase.Failed,
          NodeFailureReason.EngineError,
          errors + " image(s) failed with an engine error");
    } else if (conflicts > 0) {
      finish(
          o,
          status,
          RemovalPhase.Failed,
          NodeFailureReason.Conflict,
          conflicts + " image(s) could not be removed (conflict)");
    } else {
      finish(o, status, RemovalPhase.Succeeded, null, null);
    }
  }

  private void finish(
      NodeImageRemoval o,
      NodeImageRemovalStatus status,
      RemovalPhase phase,
      NodeFailureReason reason,
      String message) {
    status.setPhase(phase);
    status.setReason(reason);
    status.setMessage(message);
    status.setFinishedAt(clock.instant().toString());
    writer.write(o, status);
    if (metrics != null && !o.getSpec().isDryRun()) {
      Duration took =
          Duration.between(
              Instant.parse(status.getStartedAt()), Instant.parse(status.getFinishedAt()));
      metrics.record(status.getResults(), status.getReclaimedBytes(), took);
    }
  }
}
