package io.kubermi.operator.schedule;

import io.kubermi.api.RemovalPhase;
import java.time.Instant;

/** One run of a schedule as the decision needs it: its name, scheduled time and how it ended. */
public record ScheduledRun(
    String name, Instant scheduledTime, RemovalPhase phase, Instant finishedAt) {
  public boolean finished() {
    return phase != null && phase.isFinished();
  }
}
