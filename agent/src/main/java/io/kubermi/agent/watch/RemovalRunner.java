package io.kubermi.agent.watch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Executes one NodeImageRemoval on this node's engine and writes its status: Running with
 * startedAt before the engine is touched, the results after every chunk of images (so a restarted
 * agent resumes where the status says it stopped: nothing lost, nothing done twice), then the
 * phase and finishedAt. Only this node's agent writes these statuses.
 */
final class RemovalRunner {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final KubernetesClient client;
  private final Engine engine;
  private final Clock clock;
  private final int chunkSize;
  private final AgentMetrics metrics;

  RemovalRunner(KubernetesClient client, Engine engine, Clock clock, int chunkSize, AgentMetrics metrics) {
    this.client = client;
    this.engine = engine;
    this.clock = clock;
    this.chunkSize = chunkSize;
    this.metrics = metrics;
  }

  /** Whether the object holds work for this agent: a generation not yet finished. */
  static boolean needsWork(NodeImageRemoval o) {
    NodeImageRemovalStatus s = o.getStatus();
    return s == null || s.getPhase() == null || !Objects.equals(s.getObservedGeneration(), o.getSpec().getRemovalGeneration())
        || !s.getPhase().isFinished();
  }

  void run(NodeImageRemoval o) {
    NodeImageRemovalSpec spec = o.getSpec();
    long generation = spec.getRemovalGeneration();
    NodeImageRemovalStatus s = o.getStatus();
    boolean resuming = s != null && Objects.equals(s.getObservedGeneration(), generation) && s.getPhase() == RemovalPhase.Running;
    List<ImageResult> results = new ArrayList<>(resuming && s.getResults() != null ? s.getResults() : List.of());
    // Bytes freed so far in this run: what a previous agent wrote, plus what this engine frees now.
    long reclaimedBefore = resuming && s.getReclaimedBytes() != null ? s.getReclaimedBytes() : 0;
    long engineBefore = engine.reclaimedBytes();
    java.util.function.LongSupplier reclaimed = () -> reclaimedBefore + engine.reclaimedBytes() - engineBefore;

    List<String> problems = SpecValidator.validateParameters(spec, "spec", new ArrayList<>());
    if (!problems.isEmpty()) {
      finish(o, generation, resuming ? s.getStartedAt() : now(), null, List.of(), 0, RemovalPhase.Failed,
          NodeFailureReason.InvalidSpec, String.join("; ", problems));
      return;
    }
    String engineName;
    try {
      engineName = engine.info().display();
    } catch (EngineException e) {
      finish(o, generation, resuming ? s.getStartedAt() : now(), null, results, reclaimed.getAsLong(), RemovalPhase.Failed,
          NodeFailureReason.EngineError, e.getMessage());
      return;
    }
    String startedAt = resuming ? s.getStartedAt() : now();
    if (!resuming) {
      patch(o, status(generation, RemovalPhase.Running, startedAt, null, engineName, results, 0, null, null));
    }
    RemovalOptions options = new RemovalOptions(spec.isForce(), spec.isNoPrune(), spec.getPlatforms(), spec.isDryRun());
    List<String> images = spec.getImages();
    try {
      for (int from = results.size(); from < images.size(); from += chunkSize) {
        results.addAll(engine.remove(images.subList(from, Math.min(images.size(), from + chunkSize)), options));
        if (results.size() < images.size()) {
          patch(o, status(generation, RemovalPhase.Running, startedAt, null, engineName, results, reclaimed.getAsLong(), null, null));
        }
      }
    } catch (EngineException e) {
      finish(o, generation, startedAt, engineName, results, reclaimed.getAsLong(), RemovalPhase.Failed,
          NodeFailureReason.EngineError, e.getMessage());
      return;
    }
    long errors = results.stream().filter(r -> r.getOutcome() == Outcome.Error).count();
    long conflicts = results.stream().filter(r -> r.getOutcome() == Outcome.Conflict
        || (r.getOutcome() == Outcome.Protected && spec.isForce())).count();
    if (errors > 0) {
      finish(o, generation, startedAt, engineName, results, reclaimed.getAsLong(), RemovalPhase.Failed,
          NodeFailureReason.EngineError, errors + " image(s) failed with an engine error");
    } else if (conflicts > 0) {
      finish(o, generation, startedAt, engineName, results, reclaimed.getAsLong(), RemovalPhase.Failed,
          NodeFailureReason.Conflict, conflicts + " image(s) could not be removed (conflict)");
    } else {
      finish(o, generation, startedAt, engineName, results, reclaimed.getAsLong(), RemovalPhase.Succeeded, null, null);
    }
  }

  private void finish(NodeImageRemoval o, long generation, String startedAt, String engineName, List<ImageResult> results,
                      long reclaimedBytes, RemovalPhase phase, NodeFailureReason reason, String message) {
    String finishedAt = now();
    patch(o, status(generation, phase, startedAt, finishedAt, engineName, results, reclaimedBytes, reason, message));
    if (metrics != null && !o.getSpec().isDryRun()) {
      metrics.record(results, reclaimedBytes, java.time.Duration.between(java.time.Instant.parse(startedAt), java.time.Instant.parse(finishedAt)));
    }
  }

  /** The whole status; it replaces the previous one, so nothing of an earlier run lingers. */
  private static ObjectNode status(long generation, RemovalPhase phase, String startedAt, String finishedAt, String engine,
                                   List<ImageResult> results, long reclaimedBytes, NodeFailureReason reason, String message) {
    ObjectNode s = JSON.createObjectNode();
    s.put("observedGeneration", generation).put("phase", phase.name()).put("startedAt", startedAt);
    if (finishedAt != null) s.put("finishedAt", finishedAt);
    if (engine != null) s.put("engine", engine);
    if (reason != null) s.put("reason", reason.name());
    if (message != null) s.put("message", message);
    s.set("results", JSON.valueToTree(results));
    s.put("reclaimedBytes", reclaimedBytes);
    return s;
  }

  /**
   * An RFC 6902 JSON patch that sets the whole status. Not a merge patch: the API server replaces
   * lists in a merge patch, but fabric8's test server appends to them; a JSON patch means the same
   * on both, so the tests exercise exactly what runs in a cluster.
   */
  private void patch(NodeImageRemoval o, ObjectNode status) {
    client.resources(NodeImageRemoval.class).withName(o.getMetadata().getName()).subresource("status")
        .patch(PatchContext.of(PatchType.JSON), io.kubermi.api.JsonPatch.set("/status", status));
  }

  private String now() {
    return clock.instant().toString();
  }
}
