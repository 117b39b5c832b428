package io.kubermi.agent.watch;

import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.LocalRefusal;
import io.kubermi.agent.engine.RemovalOptions;
import io.kubermi.agent.engine.rules.RmiPlanner;
import io.kubermi.agent.engine.rules.RmiResponse;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.journal.RemovalJournal;
import io.kubermi.agent.journal.RunKey;
import io.kubermi.agent.journal.RunRecord;
import io.kubermi.api.ImageResult;
import io.kubermi.api.Outcome;
import io.kubermi.runtime.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A run's engine work under the node's journal. Each chunk's intents, with the rules' prediction,
 * are recorded before the engine changes anything, and its answers after, so nothing the engine did
 * is ever lost between its answer and the status write. What a dead agent or a dying engine left
 * unanswered is settled from the engine's state: gone as predicted → the predicted result, marked
 * as recovered, claiming no layer the engine still holds; still there → removed now. The prediction
 * is the engine's own plan where it plans on the store it reads for the removal (containerd: one
 * read and one plan per chunk, not two); else the rules' answers on a model read once per run
 * (Docker, whose daemon decides for itself).
 */
final class JournaledRemoval {
  static final String RECOVERED =
      "recovered from the node's journal: the engine removed it before its answer was recorded;"
          + " lines as predicted, less any the engine still holds (an image it had untagged but"
          + " not deleted is deleted now)";
  static final Duration ENGINE_LIMIT = Duration.ofMinutes(10);

  private final Engine engine;
  private final RemovalJournal journal;
  private final Watchdog watchdog;
  private final Duration engineWait;
  private ImageStoreModel forecast;
  private RunKey forecastRun;

  JournaledRemoval(Engine engine, RemovalJournal journal, Watchdog watchdog, Duration engineWait) {
    this.engine = engine;
    this.journal = journal;
    this.watchdog = watchdog;
    this.engineWait = engineWait;
  }

  /**
   * The results the run already has, in argument order: the journal's answers, else what the status
   * holds, then any unanswered intents settled. Stops at the first argument with neither.
   */
  List<ImageResult> restore(
      RunKey key, List<String> images, List<ImageResult> written, RemovalOptions options) {
    RunRecord record = journal.run(key);
    List<ImageResult> results = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      String image = images.get(i);
      ImageResult known = record.answer(i, image);
      if (known == null && i < written.size() && image.equals(written.get(i).getImage())) {
        known = written.get(i);
      }
      if (known == null) {
        ImageResult intent = record.intent(i, image);
        if (intent == null) break;
        known = retrying(() -> settle(image, intent, options));
        journal.answer(key, i, List.of(image), List.of(known));
      }
      results.add(known);
    }
    return results;
  }

  /** Removes the arguments from {@code from}, journaled; one result per argument. */
  List<ImageResult> remove(RunKey key, int from, List<String> refs, RemovalOptions options) {
    if (options.dryRun()) {
      // Changes nothing, so there is nothing to recover, and asking again is safe.
      return retrying(() -> engine(refs, options));
    }
    return engine.plansRemovals(options)
        ? removeAsPlanned(key, from, refs, options)
        : removeAsPredicted(key, from, refs, options);
  }

  /**
   * The engine plans on the store it reads for the removal and hands the plan over before changing
   * anything; the plan is journaled as the intents' prediction. Until then a failure changed
   * nothing and the call is repeated; after, what is unanswered is settled.
   */
  private List<ImageResult> removeAsPlanned(
      RunKey key, int from, List<String> refs, RemovalOptions options) {
    AtomicReference<List<ImageResult>> intended = new AtomicReference<>();
    Consumer<List<ImageResult>> journalIntents =
        plan -> {
          journal.intend(key, from, refs, plan);
          intended.set(plan);
        };
    List<ImageResult> answers =
        retrying(
            () ->
                intended.get() == null
                    ? engine(refs, options, journalIntents)
                    : settleAll(refs, intended.get(), null, options));
    if (intended.get() == null) {
      throw new IllegalStateException("the engine removed without handing out its plan");
    }
    return answered(key, from, refs, options, intended.get(), answers);
  }

  private List<ImageResult> removeAsPredicted(
      RunKey key, int from, List<String> refs, RemovalOptions options) {
    List<ImageResult> predicted = retrying(() -> predict(key, refs, options));
    journal.intend(key, from, refs, predicted);
    List<ImageResult> answers;
    try {
      answers = engine(refs, options);
    } catch (EngineException e) {
      answers = retrying(() -> settleAll(refs, predicted, null, options));
    }
    List<ImageResult> recorded = answered(key, from, refs, options, predicted, answers);
    if (!recorded.equals(predicted)) {
      forecast = null; // the engine went its own way (a protected image, a layer kept): read again
    }
    return recorded;
  }

  /**
   * The engine's answers journaled; if it died during the chunk, its errors say nothing about what
   * it did before, so those arguments are settled from its state first.
   */
  private List<ImageResult> answered(
      RunKey key,
      int from,
      List<String> refs,
      RemovalOptions options,
      List<ImageResult> predicted,
      List<ImageResult> answers) {
    List<ImageResult> settled = answers;
    if (answers.stream().anyMatch(r -> r.getOutcome() == Outcome.Error) && !engine.isUp()) {
      settled = retrying(() -> settleAll(refs, predicted, answers, options));
    }
    journal.answer(key, from, refs, settled);
    return settled;
  }

  /**
   * The rules' answers for the chunk, from a model of the store read once per run and carried
   * forward by the predictions themselves (the rules change it as the engine changes its store), so
   * a run costs one extra store read, not a dry run per chunk. Platform removals, which the model
   * does not hold, ask the engine for a dry run.
   */
  private List<ImageResult> predict(RunKey key, List<String> refs, RemovalOptions options) {
    if (!options.platforms().isEmpty()) {
      return engine(refs, options.asDryRun());
    }
    if (forecast == null || !key.equals(forecastRun)) {
      try (Watchdog.Section s = watchdog.enter("the engine's store read", ENGINE_LIMIT)) {
        forecast = engine.snapshot();
      }
      forecastRun = key;
    }
    RmiPlanner planner = new RmiPlanner(forecast);
    List<ImageResult> predicted = new ArrayList<>();
    for (String ref : refs) {
      RmiResponse malformed = LocalRefusal.malformed(ref);
      predicted.add(
          (malformed != null ? malformed : planner.remove(ref, options.force(), !options.noPrune()))
              .toResult(ref));
    }
    return predicted;
  }

  /**
   * The chunk settled from the engine's state (the engine may have removed some of it before it
   * failed), keeping the answers it did give; asking again is safe because settling looks first.
   */
  private List<ImageResult> settleAll(
      List<String> refs,
      List<ImageResult> predicted,
      List<ImageResult> partial,
      RemovalOptions options) {
    List<ImageResult> settled = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      ImageResult answered = partial == null ? null : partial.get(i);
      settled.add(
          answered != null && answered.getOutcome() != Outcome.Error
              ? answered
              : settle(refs.get(i), predicted.get(i), options));
    }
    return settled;
  }

  /**
   * Runs a step that is safe to repeat; when the engine fails, waits for it to answer again (up to
   * the engine wait) and repeats, else gives up with the engine's error, failing the run.
   */
  private <T> T retrying(Supplier<T> step) {
    long deadline = System.nanoTime() + engineWait.toNanos();
    while (true) {
      try {
        return step.get();
      } catch (EngineException e) {
        if (!awaitEngine(deadline)) throw e;
      }
    }
  }

  private ImageResult settle(String image, ImageResult predicted, RemovalOptions options) {
    if (predicted.getOutcome() != Outcome.Removed) {
      return engine(List.of(image), options).get(0); // nothing was to change: asking is safe
    }
    ImageResult now = engine(List.of(image), options.asDryRun()).get(0);
    if (now.getOutcome() != Outcome.NotFound) {
      return engine(List.of(image), options).get(0);
    }
    Set<String> held = present(predicted.getDeleted());
    Set<String> deleted = new LinkedHashSet<>();
    for (String id : predicted.getDeleted()) {
      if (!held.contains(id)) {
        deleted.add(id);
      } else if (!deleted.contains(id)
          && engine(List.of(id), options.asDryRun()).get(0).getOutcome() == Outcome.Removed) {
        // An image untagged but not yet deleted when the engine died: finish what was asked.
        ImageResult rest = engine(List.of(id), options).get(0);
        if (rest.getOutcome() == Outcome.Removed) deleted.addAll(rest.getDeleted());
      }
    }
    return new ImageResult(
        image, Outcome.Removed, predicted.getUntagged(), List.copyOf(deleted), RECOVERED);
  }

  private Set<String> present(List<String> ids) {
    try (Watchdog.Section s = watchdog.enter("the engine's store read", ENGINE_LIMIT)) {
      return engine.present(ids);
    }
  }

  private List<ImageResult> engine(List<String> refs, RemovalOptions options) {
    try (Watchdog.Section s = watchdog.enter("the engine's removal of " + refs, ENGINE_LIMIT)) {
      return engine.remove(refs, options);
    }
  }

  private List<ImageResult> engine(
      List<String> refs, RemovalOptions options, Consumer<List<ImageResult>> beforeChanging) {
    try (Watchdog.Section s = watchdog.enter("the engine's removal of " + refs, ENGINE_LIMIT)) {
      return engine.remove(refs, options, beforeChanging);
    }
  }

  private boolean awaitEngine(long deadline) {
    while (System.nanoTime() < deadline) {
      if (engine.isUp()) return true;
      try {
        Thread.sleep(500);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }
}
