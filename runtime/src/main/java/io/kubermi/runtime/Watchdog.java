package io.kubermi.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Liveness from progress: each blocking step (an engine call, an API write) is entered and left; a
 * step still running after its limit means the worker is wedged, and {@link #stalled()} says so for
 * /healthz, so the kubelet restarts the process instead of leaving it hanging.
 */
public final class Watchdog {
  private final Clock clock;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Step> running = new ConcurrentHashMap<>();
  private final Map<Thread, String> workers = new ConcurrentHashMap<>();

  private record Step(String what, Instant since, Duration limit) {}

  /** One step being run by the calling thread; closing it marks it done. */
  public interface Section extends AutoCloseable {
    @Override
    void close();
  }

  public Watchdog(Clock clock) {
    this.clock = clock;
  }

  /**
   * A step of the calling thread until the section is closed. Sections nest: a step inside a longer
   * one (an engine call inside a prune's selection) is watched on its own limit while the outer one
   * goes on being watched on its own.
   */
  public Section enter(String what, Duration limit) {
    long id = ids.incrementAndGet();
    running.put(id, new Step(what, clock.instant(), limit));
    return () -> running.remove(id);
  }

  /**
   * A thread that must live as long as the process: once it has ended, {@link #stalled()} says so.
   * A worker that died of an error nothing caught would otherwise leave a process that answers its
   * probes and never works again.
   */
  public void watchThread(Thread thread, String what) {
    workers.put(thread, what);
  }

  /** Stops watching a thread that ends on purpose (the process is closing). */
  public void release(Thread thread) {
    workers.remove(thread);
  }

  /**
   * A watched thread that has ended or a step that has run longer than its limit, described, or
   * empty when all make progress.
   */
  public Optional<String> stalled() {
    for (Map.Entry<Thread, String> w : workers.entrySet()) {
      if (w.getKey().getState() == Thread.State.TERMINATED) {
        return Optional.of(w.getValue() + " has ended");
      }
    }
    Instant now = clock.instant();
    return running.values().stream()
        .filter(s -> Duration.between(s.since(), now).compareTo(s.limit()) > 0)
        .findFirst()
        .map(
            s ->
                s.what()
                    + " has not returned for "
                    + Duration.between(s.since(), now).toSeconds()
                    + " s (limit "
                    + s.limit().toSeconds()
                    + " s)");
  }
}
