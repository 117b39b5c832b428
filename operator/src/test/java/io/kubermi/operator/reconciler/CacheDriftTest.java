package io.kubermi.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheDriftTest {
  static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
  static final Duration GRACE = Duration.ofSeconds(40);

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void aRemovalTheCacheLacksForLongerThanTheGraceIsReported() {
    CacheDrift drift = new CacheDrift(GRACE);
    Map<String, String> server = Map.of("a", "u1/5", "b", "u2/7");
    Map<String, String> cache = Map.of("a", "u1/5");
    assertThat(drift.persistent(server, cache, at(0))).as("may be an event in flight").isEmpty();
    assertThat(drift.persistent(server, cache, at(39))).as("within the grace").isEmpty();
    assertThat(drift.persistent(server, cache, at(40)))
        .containsExactly("b (server u2/7, cache absent)");
  }

  @Test
  void aDifferenceThatCloses_orMoves_startsItsGraceAgain() {
    CacheDrift drift = new CacheDrift(GRACE);
    drift.persistent(Map.of("a", "u1/6"), Map.of("a", "u1/5"), at(0));
    drift.persistent(Map.of("a", "u1/6"), Map.of("a", "u1/6"), at(30));
    assertThat(drift.persistent(Map.of("a", "u1/7"), Map.of("a", "u1/6"), at(45)))
        .as("a new write, seen for the first time")
        .isEmpty();
    assertThat(drift.persistent(Map.of("a", "u1/8"), Map.of("a", "u1/6"), at(90)))
        .as("the server moved on again: not the same difference")
        .isEmpty();
    assertThat(drift.persistent(Map.of("a", "u1/8"), Map.of("a", "u1/6"), at(130)))
        .containsExactly("a (server u1/8, cache u1/6)");
  }

  @Test
  void aRemovalGoneFromTheServerButCachedIsReported_andAResetStartsAfresh() {
    CacheDrift drift = new CacheDrift(GRACE);
    drift.persistent(Map.of(), Map.of("a", "u1/5"), at(0));
    drift.reset();
    assertThat(drift.persistent(Map.of(), Map.of("a", "u1/5"), at(45)))
        .as("after a reset")
        .isEmpty();
    assertThat(drift.persistent(Map.of(), Map.of("a", "u1/5"), at(85)))
        .containsExactly("a (server absent, cache u1/5)");
  }

  @Test
  void aRecreatedRemovalIsADifferenceEvenAtTheSameVersion() {
    CacheDrift drift = new CacheDrift(GRACE);
    drift.persistent(Map.of("a", "u2/5"), Map.of("a", "u1/5"), at(0));
    assertThat(drift.persistent(Map.of("a", "u2/5"), Map.of("a", "u1/5"), at(40)))
        .containsExactly("a (server u2/5, cache u1/5)");
  }
}
