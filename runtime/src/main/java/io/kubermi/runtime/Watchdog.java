package io.kubermi.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Liveness from progress: each blocking step (an engine call, an API write) is entered and left; a
 * step still running after its limit means the worker is wedged, and {@link #stalled()} says so for
 * /healthz, so the kubelet restarts the process instead of leaving it hanging.
 */
public final class Watchdog {
  private final Clock clock;
  private final Map<Long, Step> running = new ConcurrentHashMap<>();

  private record Step(String what, Instant since, Duration limit) {}

  /** One step being run by the calling thread; closing it marks it done. */
  public interface Section extends AutoCloseable {
    @Override
    void close();
  }

  public Watchdog(Clock clock) {
    this.clock = clock;
  }

  public Section enter(String what, Duration limit) {
    long thread = Thread.currentThread().getId();
    running.put(thread, new Step(what, clock.instant(), limit));
    return () -> running.remove(thread);
  }

  /** A step that has run longer than its limit, described, or empty when all make progress. */
  public Optional<String> stalled() {
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
