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
}
