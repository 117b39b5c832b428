package io.kubermi.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalStatus;
import io.kubermi.api.RemovalPhase;
import io.kubermi.operator.TestRemovals;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChildResyncTest {
  static final Instant START = Instant.parse("2026-12-02T10:00:00Z");

  private static ImageRemoval running(int nodeTimeoutSeconds) {
    ImageRemoval r = TestRemovals.removal("r", List.of("a:1"));
    r.getSpec().setNodeTimeoutSeconds(nodeTimeoutSeconds);
    ImageRemovalStatus s = new ImageRemovalStatus();
    s.setPhase(RemovalPhase.Running);
    s.setStartedAt(START.toString());
    r.setStatus(s);
    return r;
  }

  @Test
  void anUnfinishedRunIsListedFromTheServerAtMostOncePerInterval() {
    ChildResync resync = new ChildResync(ChildResync.DEFAULT_INTERVAL);
    ImageRemoval r = running(3600);
    assertThat(resync.due(r, START)).as("first sight: the informer has just listed").isFalse();
    assertThat(resync.due(r, START.plusSeconds(29))).isFalse();
    assertThat(resync.due(r, START.plusSeconds(30))).isTrue();
    assertThat(resync.due(r, START.plusSeconds(31))).isFalse();
    assertThat(resync.due(r, START.plusSeconds(60))).isTrue();
  }

  @Test
  void theNodeDeadlineAlwaysListsOnceSoAFinishedChildIsNotATimeout() {
    ChildResync resync = new ChildResync(ChildResync.DEFAULT_INTERVAL);
    ImageRemoval r = running(40);
    resync.due(r, START.plusSeconds(35));
    assertThat(resync.due(r, START.plusSeconds(40))).as("at the deadline").isTrue();
    assertThat(resync.due(r, START.plusSeconds(41))).as("once").isFalse();
  }

  @Test
  void aFinishedRunIsNeverListedAndWakesOnlyForItsOwnReasons() {
    ChildResync resync = new ChildResync(ChildResync.DEFAULT_INTERVAL);
    ImageRemoval r = running(3600);
    r.getStatus().setPhase(RemovalPhase.Succeeded);
    assertThat(resync.due(r, START.plusSeconds(100))).isFalse();
    assertThat(resync.wakeUp(r, r.getStatus(), START.plusSeconds(100))).isEmpty();
  }

  @Test
  void aRunningRunWakesAtTheIntervalOrItsDeadlineIfSooner() {
    ChildResync resync = new ChildResync(ChildResync.DEFAULT_INTERVAL);
    ImageRemoval r = running(3600);
    assertThat(resync.wakeUp(r, r.getStatus(), START)).hasValue(START.plusSeconds(30));
    ImageRemoval soon = running(10);
    assertThat(resync.wakeUp(soon, soon.getStatus(), START)).hasValue(START.plusSeconds(10));
  }
}
