package io.kubermi.operator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kubermi.api.ConcurrencyPolicy;
import io.kubermi.api.ImageRemovalSchedule;
import io.kubermi.api.ImageRemovalScheduleSpec;
import io.kubermi.api.ImageRemovalSpec;
import io.kubermi.api.ImageRemovalTemplate;
import io.kubermi.api.PruneSpec;
import io.kubermi.api.RemovalPhase;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schedule's decisions with a given clock: what a CronJob user expects of each case. */
class ScheduleDecisionTest {
  private static final Instant CREATED = Instant.parse("2026-03-01T00:00:00Z");

  static ImageRemovalSchedule schedule(String cron, String zone) {
    ImageRemovalSchedule s = new ImageRemovalSchedule();
    s.setMetadata(
        new ObjectMetaBuilder()
            .withName("nightly")
            .withUid("uid-1")
            .withGeneration(1L)
            .withCreationTimestamp(CREATED.toString())
            .build());
    ImageRemovalScheduleSpec spec = new ImageRemovalScheduleSpec();
    spec.setSchedule(cron);
    spec.setTimeZone(zone);
    ImageRemovalTemplate template = new ImageRemovalTemplate();
    ImageRemovalSpec removal = new ImageRemovalSpec();
    removal.setPrune(new PruneSpec());
    template.setSpec(removal);
    spec.setTemplate(template);
    s.setSpec(spec);
    return s;
  }

  /** Applies a decision's status, as the reconciler's write would. */
  static void written(ImageRemovalSchedule s, ScheduleDecision.Result r) {
    s.setStatus(r.status());
  }

  @Test
  void createsTheDueRunOnceAndWakesAtTheNextTime() {
    ImageRemovalSchedule s = schedule("0 3 * * *", "UTC");
    Instant now = Instant.parse("2026-03-02T03:00:05Z");
    ScheduleDecision.Result first = ScheduleDecision.decide(s, List.of(), now);
    assertThat(first.create()).contains(Instant.parse("2026-03-02T03:00:00Z"));
    assertThat(first.wakeUp()).contains(Instant.parse("2026-03-03T03:00:00Z"));
    String name = "nightly-" + Instant.parse("2026-03-02T03:00:00Z").getEpochSecond() / 60;
    assertThat(first.status().getActive()).containsExactly(name);

    // The status write was lost (a crash): the run exists, so nothing is created again.
    List<ScheduledRun> runs = List.of(new ScheduledRun(name, first.create().get(), null, null));
    assertThat(ScheduleDecision.decide(s, runs, now.plusSeconds(5)).create()).isEmpty();

    // Written: a later reconcile before the next time creates nothing either.
    written(s, first);
    assertThat(ScheduleDecision.decide(s, runs, now.plusSeconds(3600)).create()).isEmpty();
  }

  @Test
  void forbidSkipsWhileARunIsUnfinishedAndDoesNotMakeItUpLater() {
    ImageRemovalSchedule s = schedule("0 * * * *", "UTC");
    Instant t1 = Instant.parse("2026-03-02T10:00:00Z");
    written(s, ScheduleDecision.decide(s, List.of(), t1));
    List<ScheduledRun> running =
        List.of(new ScheduledRun("nightly-a", t1, RemovalPhase.Running, null));
    ScheduleDecision.Result r = ScheduleDecision.decide(s, running, t1.plusSeconds(3600));
    assertThat(r.create()).isEmpty();
    assertThat(r.skip()).isPresent();
    assertThat(r.skip().get().missed()).isFalse();
    assertThat(r.skip().get().message()).contains("nightly-a is unfinished");
    written(s, r);
    List<ScheduledRun> done =
        List.of(new ScheduledRun("nightly-a", t1, RemovalPhase.Succeeded, t1.plusSeconds(4000)));
    assertThat(ScheduleDecision.decide(s, done, t1.plusSeconds(4000)).create()).isEmpty();
    assertThat(ScheduleDecision.decide(s, done, t1.plusSeconds(7200)).create())
        .contains(t1.plusSeconds(7200));
  }

  @Test
  void replaceDeletesTheUnfinishedRunAndCreatesTheDueOne() {
    ImageRemovalSchedule s = schedule("0 * * * *", "UTC");
    s.getSpec().setConcurrencyPolicy(ConcurrencyPolicy.Replace);
    Instant t1 = Instant.parse("2026-03-02T10:00:00Z");
    written(s, ScheduleDecision.decide(s, List.of(), t1));
    List<ScheduledRun> running =
        List.of(new ScheduledRun("nightly-a", t1, RemovalPhase.Running, null));
    ScheduleDecision.Result r = ScheduleDecision.decide(s, running, t1.plusSeconds(3601));
    assertThat(r.replace()).containsExactly("nightly-a");
    assertThat(r.create()).contains(t1.plusSeconds(3600));
    assertThat(r.status().getActive())
        .containsExactly("nightly-" + (t1.getEpochSecond() + 3600) / 60);
  }

  @Test
  void aRunMissedPastTheStartingDeadlineIsSkippedAndOnlyTheLatestMissedTimeCounts() {
    ImageRemovalSchedule s = schedule("*/10 * * * *", "UTC");
    s.getSpec().setStartingDeadlineSeconds(60L);
    Instant t = Instant.parse("2026-03-02T10:00:00Z");
    written(s, ScheduleDecision.decide(s, List.of(), t));
    // The operator was down from 10:00 to 10:35: 10:10, 10:20 and 10:30 were missed.
    ScheduleDecision.Result late = ScheduleDecision.decide(s, List.of(), t.plusSeconds(35 * 60));
    assertThat(late.create()).isEmpty();
    assertThat(late.skip().get().missed()).isTrue();
    assertThat(late.skip().get().scheduledTime()).isEqualTo(t.plusSeconds(30 * 60));
    // Within the deadline the latest one still starts.
    s.getSpec().setStartingDeadlineSeconds(600L);
    assertThat(ScheduleDecision.decide(s, List.of(), t.plusSeconds(35 * 60)).create())
        .contains(t.plusSeconds(30 * 60));
  }

  @Test
  void historyKeepsTheNewestRunsWithinTheLimits() {
    ImageRemovalSchedule s = schedule("0 * * * *", "UTC");
    s.getSpec().setSuccessfulRunsHistoryLimit(2);
    s.getSpec().setFailedRunsHistoryLimit(1);
    Instant t = Instant.parse("2026-03-02T10:00:00Z");
    List<ScheduledRun> runs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Instant at = t.plusSeconds(3600L * i);
      runs.add(new ScheduledRun("ok-" + i, at, RemovalPhase.Succeeded, at.plusSeconds(60)));
      runs.add(new ScheduledRun("bad-" + i, at, RemovalPhase.Failed, at.plusSeconds(60)));
    }
    runs.add(new ScheduledRun("running", t, RemovalPhase.Running, null));
    ScheduleDecision.Result r = ScheduleDecision.decide(s, runs, t.plusSeconds(4 * 3600 - 1));
    assertThat(r.prune()).containsExactlyInAnyOrder("ok-0", "ok-1", "bad-0", "bad-1", "bad-2");
    assertThat(r.status().getLastSuccessfulTime())
        .isEqualTo(t.plusSeconds(3 * 3600 + 60).toString());
  }

  @Test
  void suspendedCreatesNothingAndHasNoNextTime() {
    ImageRemovalSchedule s = schedule("0 3 * * *", "UTC");
    s.getSpec().setSuspend(true);
    ScheduleDecision.Result r =
        ScheduleDecision.decide(s, List.of(), Instant.parse("2026-03-02T03:00:00Z"));
    assertThat(r.create()).isEmpty();
    assertThat(r.wakeUp()).isEmpty();
    assertThat(r.status().getNextScheduleTime()).isNull();
    assertThat(r.status().getConditions())
        .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("Suspended"));
  }

  @Test
  void springForwardInBerlinSkipsTheWallClockTimeThatDoesNotExist() {
    // 2026-03-29: Berlin's clocks go from 02:00 to 03:00, so "30 2 * * *" names no time that day.
    ImageRemovalSchedule s = schedule("30 2 * * *", "Europe/Berlin");
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    Instant dayBefore = LocalDateTime.parse("2026-03-28T02:30").atZone(berlin).toInstant();
    written(s, ScheduleDecision.decide(s, List.of(), dayBefore));
    List<Instant> created = new ArrayList<>();
    List<ScheduledRun> runs = new ArrayList<>();
    for (Instant now = dayBefore.plusSeconds(60);
        now.isBefore(dayBefore.plusSeconds(3 * 86400));
        now = now.plusSeconds(15 * 60)) {
      ScheduleDecision.Result d = ScheduleDecision.decide(s, runs, now);
      d.create()
          .ifPresent(
              t -> {
                created.add(t);
                runs.add(new ScheduledRun("run-" + t, t, RemovalPhase.Succeeded, t));
              });
      written(s, d);
    }
    assertThat(created.stream().map(t -> t.atZone(berlin).toLocalDateTime()))
        .containsExactly(
            LocalDateTime.parse("2026-03-30T02:30"), LocalDateTime.parse("2026-03-31T02:30"));
  }

  @Test
  void fallBackInBerlinRunsTheRepeatedHourOnce() {
    // 2026-10-25: Berlin's clocks go from 03:00 back to 02:00; 02:30 happens twice.
    ImageRemovalSchedule s = schedule("30 2 * * *", "Europe/Berlin");
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    Instant first =
        LocalDateTime.parse("2026-10-25T02:30")
            .atZone(berlin)
            .withEarlierOffsetAtOverlap()
            .toInstant();
    Instant second = first.plusSeconds(3600); // the same wall-clock time, one hour later
    ScheduleDecision.Result r = ScheduleDecision.decide(s, List.of(), first.minusSeconds(60));
    written(s, r);
    int created = 0;
    List<ScheduledRun> runs = new ArrayList<>();
    for (Instant now = first; !now.isAfter(second.plusSeconds(120)); now = now.plusSeconds(60)) {
      ScheduleDecision.Result d = ScheduleDecision.decide(s, runs, now);
      if (d.create().isPresent()) {
        created++;
        runs.add(new ScheduledRun("run-" + created, d.create().get(), RemovalPhase.Succeeded, now));
      }
      written(s, d);
    }
    assertThat(created).isEqualTo(1);
  }

  /** Over-long values are refused by their length, before the cron or time zone parser runs. */
  @Test
  void overLongScheduleAndTimeZoneAreRefusedByTheirLength() {
    ImageRemovalSchedule s = schedule("0 3 * * *", "Europe/" + "x".repeat(100));
    assertThat(ScheduleDecision.decide(s, List.of(), CREATED).problems())
        .anySatisfy(
            p ->
                assertThat(p)
                    .isEqualTo("spec.timeZone: invalid value of 107 characters: at most 64"));
    s.getSpec().setTimeZone("UTC");
    s.getSpec().setSchedule("0 3 * * * " + "1,".repeat(100) + "1");
    assertThat(ScheduleDecision.decide(s, List.of(), CREATED).problems())
        .anySatisfy(
            p -> assertThat(p).startsWith("spec.schedule: invalid value of 211 characters"));
  }

  @Test
  void invalidScheduleTimeZoneAndTemplateAreNamedAndStall() {
    ImageRemovalSchedule s = schedule("61 * * * *", "Mars/Olympus");
    s.getSpec().getTemplate().getSpec().getPrune().setUntil("7 days");
    ScheduleDecision.Result r = ScheduleDecision.decide(s, List.of(), CREATED.plusSeconds(3600));
    assertThat(r.create()).isEmpty();
    assertThat(r.problems())
        .anySatisfy(p -> assertThat(p).startsWith("spec.timeZone: invalid value \"Mars/Olympus\""))
        .anySatisfy(p -> assertThat(p).startsWith("spec.template.spec.prune.until: invalid value"));
    s.getSpec().setTimeZone("UTC");
    assertThat(ScheduleDecision.decide(s, List.of(), CREATED).problems())
        .anySatisfy(p -> assertThat(p).startsWith("spec.schedule: invalid value \"61 * * * *\""));
    assertThat(r.status().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Stalled");
              assertThat(c.getStatus()).isEqualTo("True");
            });
  }

  @Test
  void nicknamesAreAccepted() {
    ImageRemovalSchedule s = schedule("@daily", "UTC");
    ScheduleDecision.Result r =
        ScheduleDecision.decide(s, List.of(), Instant.parse("2026-03-02T00:00:30Z"));
    assertThat(r.create()).contains(Instant.parse("2026-03-02T00:00:00Z"));
  }
}
