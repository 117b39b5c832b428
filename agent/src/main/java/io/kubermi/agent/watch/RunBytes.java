package io.kubermi.agent.watch;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Bytes freed so far in one run (for a dry run, what it would free): what a previous agent wrote,
 * plus what the engine's counter has added since the run began, less what work done only to choose
 * (a prune's threshold selection measures its candidates with a dry run) added to it.
 */
final class RunBytes implements LongSupplier {
  private final LongSupplier counter;
  private final long before;
  private final long counterBefore;
  private long uncounted;

  RunBytes(LongSupplier counter, long before) {
    this.counter = counter;
    this.before = before;
    this.counterBefore = counter.getAsLong();
  }

  @Override
  public long getAsLong() {
    return before + counter.getAsLong() - counterBefore - uncounted;
  }

  /** Runs {@code work}, whose bytes on the engine's counter are not the run's. */
  <T> T uncounted(Supplier<T> work) {
    long start = counter.getAsLong();
    try {
      return work.get();
    } finally {
      uncounted += counter.getAsLong() - start;
    }
  }
}
