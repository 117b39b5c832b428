package io.kubermi.operator.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.kubermi.operator.TestRemovals;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventRecorderTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T03:04:05Z"), ZoneOffset.UTC);
  private final EventRecorder recorder = new EventRecorder(null, clock);

  @Test
  void anEventCarriesItsReasonTypeAndTheInjectedClocksTime() {
    Event e =
        recorder.event(
            TestRemovals.removal("r", List.of("a:1")), EventReason.NodeFailed, "node n1: Conflict");
    assertThat(e.getReason()).isEqualTo("NodeFailed");
    assertThat(e.getType()).isEqualTo("Warning");
    assertThat(e.getFirstTimestamp()).isEqualTo("2026-12-02T03:04:05Z");
    assertThat(e.getLastTimestamp()).isEqualTo("2026-12-02T03:04:05Z");
    assertThat(e.getInvolvedObject().getKind()).isEqualTo("ImageRemoval");
    assertThat(e.getInvolvedObject().getUid()).isEqualTo("uid-r");
    assertThat(EventReason.Started.type()).isEqualTo("Normal");
  }

  @Test
  void aLongMessageIsCut() {
    Event e =
        recorder.event(
            TestRemovals.removal("r", List.of("a:1")), EventReason.Failed, "x".repeat(5000));
    assertThat(e.getMessage()).hasSize(EventRecorder.MAX_MESSAGE);
  }
}
