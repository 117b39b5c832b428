package io.kubermi.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WatchdogTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.EPOCH);
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now.get();
        }
      };

  @Test
  void aStepPastItsLimitIsReportedUntilItReturns() {
    Watchdog watchdog = new Watchdog(clock);
    Watchdog.Section write = watchdog.enter("the status write", Duration.ofSeconds(60));
    now.set(Instant.EPOCH.plusSeconds(60));
    assertThat(watchdog.stalled()).as("at the limit").isEmpty();
    now.set(Instant.EPOCH.plusSeconds(61));
    assertThat(watchdog.stalled())
        .hasValue("the status write has not returned for 61 s (limit 60 s)");
    write.close();
    assertThat(watchdog.stalled()).isEmpty();
  }

  @Test
  void anOuterStepIsStillWatchedWhileAnInnerOneComesAndGoes() {
    Watchdog watchdog = new Watchdog(clock);
    Watchdog.Section selection = watchdog.enter("the prune's selection", Duration.ofSeconds(120));
    watchdog.enter("the engine's store read", Duration.ofSeconds(60)).close();
    now.set(Instant.EPOCH.plusSeconds(121));
    assertThat(watchdog.stalled())
        .hasValue("the prune's selection has not returned for 121 s (limit 120 s)");
    selection.close();
    assertThat(watchdog.stalled()).isEmpty();
  }

  @Test
  void aWatchedThreadThatEndedIsReportedUntilReleased() throws InterruptedException {
    Watchdog watchdog = new Watchdog(clock);
    Thread worker = new Thread(() -> {});
    watchdog.watchThread(worker, "the worker");
    assertThat(watchdog.stalled()).as("not started yet").isEmpty();
    worker.start();
    worker.join();
    assertThat(watchdog.stalled()).hasValue("the worker has ended");
    watchdog.release(worker);
    assertThat(watchdog.stalled()).isEmpty();
  }
}
