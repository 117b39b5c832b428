package io.kubermi.agent;

import io.kubermi.agent.engine.Engine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Liveness from the engine's socket. The chart mounts the engine's socket file itself, not its
 * folder; an engine that restarts makes a new socket at the same path, which a running container
 * does not see (its mount still holds the old one). So an engine silent for longer than a restart
 * takes turns /healthz to 503, and the kubelet's restart of the container mounts the path afresh.
 */
final class EngineLiveness {
  static final Duration SILENCE_LIMIT = Duration.ofMinutes(3);

  private final Engine engine;
  private final Clock clock;
  private final Duration limit;
  private Instant lastAnswer;

  EngineLiveness(Engine engine, Clock clock, Duration limit) {
    this.engine = engine;
    this.clock = clock;
    this.limit = limit;
    this.lastAnswer = clock.instant();
  }

  /** Why the agent should be restarted, or empty; asks the engine each time. */
  synchronized Optional<String> problem() {
    Instant now = clock.instant();
    if (engine.isUp()) {
      lastAnswer = now;
      return Optional.empty();
    }
    Duration silent = Duration.between(lastAnswer, now);
    return silent.compareTo(limit) > 0
        ? Optional.of(
            "the container engine has not answered for "
                + silent.toSeconds()
                + " s; a restart mounts its socket afresh")
        : Optional.empty();
  }
}
