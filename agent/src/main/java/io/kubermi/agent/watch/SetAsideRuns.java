package io.kubermi.agent.watch;

import io.github.resilience4j.core.IntervalFunction;
import io.kubermi.agent.journal.RunKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Runs the agent failed on unexpectedly (a bug in the agent, not an engine or API failure, which
 * the run handles itself), each set aside until its retry is due, with per-run exponential backoff
 * as a controller's work queue has it: one run that always fails must not hold up the node's later
 * runs, nor be retried in a tight loop.
 */
final class SetAsideRuns {
  static final IntervalFunction DEFAULT_BACKOFF =
      IntervalFunction.ofExponentialRandomBackoff(
          Duration.ofSeconds(1), 2.0, 0.5, Duration.ofMinutes(5));

  private record SetAside(int failures, long dueNanos) {}

  private final Map<RunKey, SetAside> runs = new HashMap<>();
  private final IntervalFunction backoff;
  private final LongSupplier nanoTime;

  SetAsideRuns(IntervalFunction backoff, LongSupplier nanoTime) {
    this.backoff = backoff;
    this.nanoTime = nanoTime;
  }

  /** Records a failure of {@code run}; returns how long it is set aside, in milliseconds. */
  long failed(RunKey run) {
    int failures = runs.containsKey(run) ? runs.get(run).failures() + 1 : 1;
    long wait = backoff.apply(failures);
    runs.put(run, new SetAside(failures, nanoTime.getAsLong() + wait * 1_000_000));
    return wait;
  }

  /** How many times in a row {@code run} has failed (0 once it has finished). */
  int failures(RunKey run) {
    SetAside s = runs.get(run);
    return s == null ? 0 : s.failures();
  }

  void finished(RunKey run) {
    runs.remove(run);
  }

  /** Whether {@code run} may run now: never failed, or its retry is due. */
  boolean isDue(RunKey run) {
    SetAside s = runs.get(run);
    return s == null || nanoTime.getAsLong() - s.dueNanos() >= 0;
  }

  /** Forgets runs that are no longer unfinished (done by another agent, or deleted). */
  void retainOnly(Set<RunKey> unfinished) {
    runs.keySet().retainAll(unfinished);
  }

  /** Milliseconds until the first set-aside run is due, at most {@code max}; 0 if one is due. */
  long millisUntilNextDue(long max) {
    long now = nanoTime.getAsLong();
    long next = max;
    for (SetAside s : runs.values()) {
      next = Math.min(next, Math.max(0, (s.dueNanos() - now + 999_999) / 1_000_000));
    }
    return next;
  }
}
