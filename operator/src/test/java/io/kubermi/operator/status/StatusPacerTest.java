package io.kubermi.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalStatus;
import io.kubermi.api.RemovalPhase;
import io.kubermi.api.RemovalSummary;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusPacerTest {
  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  private static ImageRemoval removal(RemovalPhase phase, long observedGeneration, String started) {
    ImageRemoval r = new ImageRemoval();
    r.setMetadata(new ObjectMetaBuilder().withName("r").withUid("u1").withGeneration(2L).build());
    ImageRemovalStatus s = new ImageRemovalStatus();
    s.setPhase(phase);
    s.setObservedGeneration(observedGeneration);
    s.setStartedAt(started);
    r.setStatus(s);
    return r;
  }

  @Test
  void aRunningRunWaitsForTheRestOfTheIntervalAfterAWrite() {
    StatusPacer pacer = new StatusPacer();
    ImageRemoval running = removal(RemovalPhase.Running, 2, T0.toString());
    assertThat(pacer.holdOff(running, 2, T0)).isZero();
    pacer.written(running, T0);
    assertThat(pacer.holdOff(running, 2, T0.plusMillis(300))).isEqualTo(Duration.ofMillis(700));
    assertThat(pacer.holdOff(running, 2, T0.plusMillis(1000))).isZero();
  }

  private static ImageRemoval runningOver(int nodes) {
    ImageRemoval r = removal(RemovalPhase.Running, 2, T0.toString());
    RemovalSummary summary = new RemovalSummary();
    summary.setNodesTotal(nodes);
    r.getStatus().setSummary(summary);
    return r;
  }

  @Test
  void aStatusOfThousandsOfNodesIsWrittenLessOftenUpToFiveSeconds() {
    StatusPacer pacer = new StatusPacer();
    ImageRemoval thousand = runningOver(1000);
    pacer.written(thousand, T0);
    assertThat(pacer.holdOff(thousand, 2, T0.plusMillis(300))).isEqualTo(Duration.ofMillis(700));
    ImageRemoval fiveThousand = runningOver(5000);
    assertThat(pacer.holdOff(fiveThousand, 2, T0.plusMillis(300)))
        .isEqualTo(Duration.ofMillis(4700));
    assertThat(pacer.holdOff(runningOver(5001), 2, T0.plusMillis(300)))
        .as("capped")
        .isEqualTo(Duration.ofMillis(4700));
    assertThat(pacer.holdOff(runningOver(2500), 2, T0.plusMillis(3000))).isZero();
  }

  @Test
  void aNewGenerationAFinishedRunAndARunNotYetStartedAreNeverHeld() {
    StatusPacer pacer = new StatusPacer();
    ImageRemoval running = removal(RemovalPhase.Running, 2, T0.toString());
    pacer.written(running, T0);
    Instant soon = T0.plusMillis(100);
    assertThat(pacer.holdOff(running, 3, soon)).as("new generation").isZero();
    assertThat(pacer.holdOff(removal(RemovalPhase.Succeeded, 2, T0.toString()), 2, soon))
        .as("finished")
        .isZero();
    assertThat(pacer.holdOff(removal(RemovalPhase.Pending, 2, null), 2, soon))
        .as("children still being created")
        .isZero();
  }

  @Test
  void aClockThatWentBackHoldsNoLongerThanOneInterval() {
    StatusPacer pacer = new StatusPacer();
    ImageRemoval running = removal(RemovalPhase.Running, 2, T0.toString());
    pacer.written(running, T0);
    assertThat(pacer.holdOff(running, 2, T0.minusSeconds(30))).isZero();
    pacer.forget("u1");
    assertThat(pacer.holdOff(running, 2, T0.plusMillis(1))).isZero();
  }
}
