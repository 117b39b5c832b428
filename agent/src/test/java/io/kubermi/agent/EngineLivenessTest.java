package io.kubermi.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.EngineInfo;
import io.kubermi.agent.engine.RemovalOptions;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.api.ImageResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class EngineLivenessTest {
  private Instant now = Instant.EPOCH;
  private final AtomicBoolean up = new AtomicBoolean(true);

  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  /** An engine that is only up or down: liveness asks nothing else. */
  private final Engine engine =
      new Engine() {
        @Override
        public List<ImageResult> remove(List<String> references, RemovalOptions options) {
          throw new UnsupportedOperationException();
        }

        @Override
        public EngineInfo info() {
          throw new UnsupportedOperationException();
        }

        @Override
        public ImageStoreModel snapshot() {
          throw new UnsupportedOperationException();
        }

        @Override
        public Set<String> present(Collection<String> ids) {
          throw new UnsupportedOperationException();
        }

        @Override
        public long reclaimedBytes() {
          return 0;
        }

        @Override
        public boolean isUp() {
          return up.get();
        }

        @Override
        public void close() {}
      };

  @Test
  void anEngineSilentPastTheLimitFailsLivenessUntilItAnswersAgain() {
    EngineLiveness liveness = new EngineLiveness(engine, clock, Duration.ofMinutes(3));
    assertThat(liveness.problem()).isEmpty();
    up.set(false);
    now = now.plusSeconds(180);
    assertThat(liveness.problem()).as("a restart's worth of silence").isEmpty();
    now = now.plusSeconds(1);
    assertThat(liveness.problem())
        .hasValue(
            "the container engine has not answered for 181 s; a restart mounts its socket afresh");
    up.set(true);
    assertThat(liveness.problem()).isEmpty();
  }
}
