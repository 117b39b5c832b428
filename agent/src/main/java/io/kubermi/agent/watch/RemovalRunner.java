package io.kubermi.agent.watch;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.ImageBytesTarget;
import io.kubermi.agent.engine.PrunePolicy;
import io.kubermi.agent.engine.Pruner;
import io.kubermi.agent.engine.RemovalOptions;
import io.kubermi.agent.engine.rules.PruneOp;
import io.kubermi.agent.engine.rules.PruneResults;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.journal.JournalException;
import io.kubermi.agent.journal.RemovalJournal;
import io.kubermi.agent.journal.RunKey;
import io.kubermi.agent.lastuse.LastUseTracker;
import io.kubermi.agent.metrics.AgentMetrics;
import io.kubermi.api.ImageBytesReport;
import io.kubermi.api.ImageBytesThreshold;
import io.kubermi.api.ImageResult;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.NodeFailureReason;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeImageRemovalSpec;
import io.kubermi.api.NodeImageRemovalStatus;
import io.kubermi.api.Outcome;
import io.kubermi.api.PruneSpec;
import io.kubermi.api.RemovalPhase;
import io.kubermi.api.prune.ByteQuantity;
import io.kubermi.api.prune.InvalidFilterException;
import io.kubermi.api.prune.PruneFilters;
import io.kubermi.api.prune.UnusedFor;
import io.kubermi.api.validation.SpecValidator;
import io.kubermi.runtime.Watchdog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one NodeImageRemoval on this node's engine and reports it in the status: Running with
 * startedAt, the results as they come (through the {@link StatusPublisher}, at most one write a
 * second), then the phase and finishedAt, written before the run counts as done. The engine work
 * goes through the node's journal ({@link JournaledRemoval}), so a restarted agent resumes from
 * what the engine really did, not from the last status it managed to write. Only this node's agent
 * writes these statuses.
 */
final class RemovalRunner {
  private static final Logger LOG = LoggerFactory.getLogger(RemovalRunner.class);
  static final int MAX_MESSAGE = 1024;

  /**
   * How long a prune's selection (a read of the whole store and the rules over it) and a journal's
   * replay may take before /healthz reports the worker stalled.
   */
  static final Duration PLANNING_LIMIT = Duration.ofSeconds(180);

  private final StatusPublisher publisher;
  private final Engine engine;
  private final JournaledRemoval removal;
  private final RemovalJournal journal;
  private final Watchdog watchdog;
  private final Clock clock;
  private final int chunkSize;
  private final AgentMetrics metrics;
  private volatile int resultsBudget = KubeRmi.NODE_RESULTS_BYTES;
  private volatile LastUseTracker lastUse;

  RemovalRunner(
      StatusPublisher publisher,
      Engine engine,
      JournaledRemoval removal,
      RemovalJournal journal,
      Watchdog watchdog,
      Clock clock,
      int chunkSize,
      AgentMetrics metrics) {
    this.publisher = publisher;
    this.engine = engine;
    this.removal = removal;
    this.journal = journal;
    this.watchdog = watchdog;
    this.clock = clock;
    this.lastUse = LastUseTracker.inMemory(engine, clock);
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

  void run(NodeImageRemoval o) throws InterruptedException {
    NodeImageRemovalSpec spec = o.getSpec();
    NodeImageRemovalStatus previous = o.getStatus();
    boolean resuming =
        previous != null
            && Objects.equals(previous.getObservedGeneration(), spec.getRemovalGeneration())
            && previous.getPhase() == RemovalPhase.Running;
    NodeImageRemovalStatus status =
        resuming ? resumed(previous) : started(spec.getRemovalGeneration());
    // Bytes freed so far in this run: what a previous agent wrote, plus what this engine frees now;
    // for a dry run, what it would free.
    LongSupplier counter = spec.isDryRun() ? engine::reclaimableBytes : engine::reclaimedBytes;
    RunBytes reclaimed = new RunBytes(counter, status.getReclaimedBytes());

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
      offer(o, status);
      removeInChunks(o, status, reclaimed);
    } catch (EngineException | JournalException e) {
      status.setReclaimedBytes(reclaimed.getAsLong());
      finish(o, status, RemovalPhase.Failed, NodeFailureReason.EngineError, e.getMessage());
      return;
    } catch (KubernetesClientException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError e) {
      // A bug of the agent's, not the engine's: the node still gets an answer, with what was
      // done before it, and the run ends; a new generation of the removal tries again. Nothing
      // is retried in a loop, and the worker goes on to the node's next removal.
      LOG.error(
          "node {}: {} failed unexpectedly", o.getSpec().getNodeName(), RunKey.of(o).name(), e);
      if (metrics != null) metrics.runFailed();
      status.setReclaimedBytes(reclaimed.getAsLong());
      finish(o, status, RemovalPhase.Failed, NodeFailureReason.EngineError, unexpected(e));
      return;
    }
    status.setReclaimedBytes(reclaimed.getAsLong());
    finishFromResults(o, status);
  }

  /** The message of a failure nothing expected: what was thrown, at a length a status can hold. */
  static String unexpected(Throwable e) {
    return bounded("the agent failed unexpectedly: " + e);
  }

  static String bounded(String message) {
    return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…";
  }

  /** Lists in the status no more results than {@code bytes} of them; the rest are counted. */
  void boundResults(int bytes) {
    this.resultsBudget = bytes;
  }

  private void offer(NodeImageRemoval o, NodeImageRemovalStatus status) {
    publisher.offer(o, ResultsBound.apply(status, resultsBudget));
  }

  /** The results the status leaves out, each in the log with its lines, so none is lost. */
  private static void logOmitted(NodeImageRemoval o, List<ImageResult> all, int listed) {
    if (listed == all.size()) return;
    String name = o.getMetadata().getName();
    LOG.info(
        "{}: {} of {} results are not listed in the status (too big); they follow",
        name,
        all.size() - listed,
        all.size());
    for (ImageResult r : all.subList(listed, all.size())) {
      LOG.info(
          "{}: {} {} untagged={} deleted={}{}",
          name,
          r.getImage(),
          r.getOutcome(),
          r.getUntagged(),
          r.getDeleted(),
          r.getMessage() == null ? "" : " message=" + r.getMessage());
    }
  }

  private NodeImageRemovalStatus started(long generation) {
    NodeImageRemovalStatus s = new NodeImageRemovalStatus();
    s.setObservedGeneration(generation);
    s.setPhase(RemovalPhase.Running);
    s.setStartedAt(clock.instant().toString());
    s.setReclaimedBytes(0L);
    s.setResults(new ArrayList<>());
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
    s.setImageBytes(previous.getImageBytes());
    return s;
  }

  /**
   * First what the journal and the status already hold, then the rest a chunk at a time, each
   * chunk's results offered to the publisher.
   */
  private void removeInChunks(
      NodeImageRemoval o, NodeImageRemovalStatus status, RunBytes reclaimed) {
    NodeImageRemovalSpec spec = o.getSpec();
    if (spec.isPruning()) {
      prune(o, status, reclaimed);
      return;
    }
    RemovalOptions options =
        new RemovalOptions(spec.isForce(), spec.isNoPrune(), spec.getPlatforms(), spec.isDryRun());
    RunKey key = RunKey.of(o);
    List<String> images = spec.getImages();
    List<ImageResult> results;
    try (Watchdog.Section s =
        watchdog.enter("replaying the journal of " + key.name(), PLANNING_LIMIT)) {
      results = new ArrayList<>(removal.restore(key, images, status.getResults(), options));
    }
    status.setResults(results);
    for (int from = results.size(); from < images.size(); from += chunkSize) {
      List<String> chunk = images.subList(from, Math.min(images.size(), from + chunkSize));
      results.addAll(removal.remove(key, from, chunk, options));
      if (results.size() < images.size()) {
        status.setReclaimedBytes(reclaimed.getAsLong());
        offer(o, status);
      }
    }
  }

  /**
   * docker image prune: the selection is made once and journaled before anything is removed (a
   * restarted agent carries out the same removals, not a new selection from a store its predecessor
   * already changed), then removed through the journal a chunk at a time like named images; the
   * status holds one result per image pruned. A dry run plans everything in one engine call, so
   * each removal sees what the earlier ones would have changed.
   */
  private void prune(NodeImageRemoval o, NodeImageRemovalStatus status, RunBytes reclaimed) {
    boolean dryRun = o.getSpec().isDryRun();
    RunKey key = RunKey.of(o);
    List<PruneOp> ops = journal.run(key).plan();
    // Without a journaled selection (a journal lost, or kept in memory only) a resumed run keeps
    // what its predecessor wrote and selects again from the store it left: what is gone is not
    // selected again, so nothing is counted twice.
    List<ImageResult> earlier = ops == null ? List.copyOf(status.getResults()) : List.of();
    if (ops == null) {
      try (Watchdog.Section s =
          watchdog.enter("the prune selection of " + key.name(), PLANNING_LIMIT)) {
        PruneSpec prune = o.getSpec().getPrune();
        ImageStoreModel store = lastUse.refresh();
        ops = Pruner.plan(store, engine, filters(o.getSpec()), prune.getExclude(), policy(prune));
        if (prune.getImageBytes() != null) {
          ops = withinThresholds(prune.getImageBytes(), store, ops, status, reclaimed);
          offer(o, status);
        }
      }
      if (!dryRun) journal.plan(key, ops);
    }
    RemovalOptions options = new RemovalOptions(false, false, List.of(), dryRun);
    List<String> arguments = Pruner.arguments(ops);
    List<ImageResult> answers;
    try (Watchdog.Section s =
        watchdog.enter("replaying the journal of " + key.name(), PLANNING_LIMIT)) {
      answers = new ArrayList<>(removal.restore(key, arguments, List.of(), options));
    }
    int chunk = dryRun ? Math.max(1, arguments.size()) : chunkSize;
    for (int from = answers.size(); from < arguments.size(); from += chunk) {
      List<String> part = arguments.subList(from, Math.min(arguments.size(), from + chunk));
      answers.addAll(removal.remove(key, from, part, options));
      status.setResults(PruneResults.merge(earlier, PruneResults.of(ops, answers)));
      if (answers.size() < arguments.size()) {
        status.setReclaimedBytes(reclaimed.getAsLong());
        offer(o, status);
      }
    }
    status.setResults(PruneResults.merge(earlier, PruneResults.of(ops, answers)));
    ImageBytesReport report = status.getImageBytes();
    if (report != null && report.getBefore() != null) {
      report.setAfter(dryRun ? report.getBefore() - reclaimed.getAsLong() : engine.imageBytes());
    }
  }

  /**
   * A prune's disk thresholds on this node: nothing when the engine's image bytes are at most the
   * high mark, else the fewest candidates, oldest-unused first, that bring them to the low mark.
   * The bytes before go into the status at once, so a resumed run still reports them.
   */
  private List<PruneOp> withinThresholds(
      ImageBytesThreshold threshold,
      ImageStoreModel store,
      List<PruneOp> ops,
      NodeImageRemovalStatus status,
      RunBytes reclaimed) {
    long high = ByteQuantity.parse(threshold.getHigh()).orElseThrow();
    long low = ByteQuantity.parse(threshold.getLow()).orElseThrow();
    Instant now = clock.instant();
    ImageBytesTarget.Within within =
        reclaimed.uncounted(
            () -> ImageBytesTarget.within(engine, store, ops, high, low, lastUse.record(), now));
    status.setImageBytes(within.report());
    return within.ops();
  }

  /** The node's last-use record this runner's prunes select by. */
  void useLastUse(LastUseTracker tracker) {
    this.lastUse = tracker;
  }

  /** keepNewest and unusedFor, an unusedFor counted back from now. */
  private PrunePolicy policy(PruneSpec prune) {
    Duration unusedFor =
        prune.getUnusedFor() == null
            ? null
            : UnusedFor.parse(prune.getUnusedFor())
                .orElseThrow(
                    () -> new IllegalStateException("a validated unusedFor did not parse"));
    return new PrunePolicy(prune.getKeepNewest(), unusedFor, lastUse.record(), clock.instant());
  }

  /** The spec's filters; a duration is counted back from the run's start. */
  private PruneFilters filters(NodeImageRemovalSpec spec) {
    try {
      return PruneFilters.of(spec.getPrune(), clock.instant(), ZoneOffset.UTC);
    } catch (InvalidFilterException e) {
      throw new IllegalStateException("validated filters did not parse: " + e.getMessage(), e);
    }
  }

  /**
   * Failed when any image ended in an engine error or a conflict (a protected image counts under
   * force).
   */
  private void finishFromResults(NodeImageRemoval o, NodeImageRemovalStatus status)
      throws InterruptedException {
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
      String message)
      throws InterruptedException {
    status.setPhase(phase);
    status.setReason(reason);
    status.setMessage(message);
    status.setFinishedAt(clock.instant().toString());
    NodeImageRemovalStatus written = ResultsBound.apply(status, resultsBudget);
    logOmitted(o, status.getResults(), written.getResults().size());
    publisher.write(o, written);
    journal.finished(RunKey.of(o));
    if (metrics != null && !o.getSpec().isDryRun()) {
      Duration took =
          Duration.between(
              Instant.parse(status.getStartedAt()), Instant.parse(status.getFinishedAt()));
      metrics.record(
          status.getResults(), status.getReclaimedBytes(), took, o.getSpec().isPruning());
    }
  }
}
