package io.kubermi.operator.schedule;

import io.fabric8.kubernetes.api.model.Condition;
import io.kubermi.api.ConcurrencyPolicy;
import io.kubermi.api.ImageRemovalSchedule;
import io.kubermi.api.ImageRemovalScheduleSpec;
import io.kubermi.api.ImageRemovalScheduleStatus;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.RemovalPhase;
import io.kubermi.api.validation.SpecValidator;
import io.kubermi.operator.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a schedule does now, from what the objects say: the run due (the latest scheduled time not
 * yet handled; earlier missed ones are not made up, as a CronJob does not), whether it is created,
 * skipped (Forbid) or missed (past the starting deadline), which runs go (Replace, history limits),
 * the status, and when to wake up next. Pure: the clock and the runs are given, so it is tested
 * without Kubernetes.
 */
public final class ScheduleDecision {
  /** A scheduled time handled without a run, and why. */
  public record Skip(Instant scheduledTime, boolean missed, String message) {}

  public record Result(
      Optional<Instant> create,
      Optional<Skip> skip,
      List<String> replace,
      List<String> prune,
      ImageRemovalScheduleStatus status,
      Optional<Instant> wakeUp,
      List<String> problems) {}

  private ScheduleDecision() {}

  /** The name of the run for a scheduled time: the schedule's name and the time in Unix minutes. */
  public static String runName(String schedule, Instant scheduledTime) {
    return schedule + "-" + scheduledTime.getEpochSecond() / 60;
  }

  /**
   * What is wrong with a schedule's spec, each naming its field (empty when valid): its cron
   * expression and time zone, and its template as an ImageRemoval's spec is validated.
   */
  public static List<String> problems(ImageRemovalScheduleSpec spec) {
    List<String> problems = new ArrayList<>();
    try {
      CronSchedule.parse(spec.getSchedule(), spec.effectiveTimeZone());
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    if (spec.getTemplate() == null || spec.getTemplate().getSpec() == null) {
      problems.add("spec.template.spec: required");
    } else {
      SpecValidator.validate(spec.getTemplate().getSpec())
          .forEach(p -> problems.add(p.replaceFirst("^spec", "spec.template.spec")));
    }
    return problems;
  }

  public static Result decide(ImageRemovalSchedule schedule, List<ScheduledRun> runs, Instant now) {
    ImageRemovalScheduleSpec spec = schedule.getSpec();
    ImageRemovalScheduleStatus previous =
        schedule.getStatus() == null ? new ImageRemovalScheduleStatus() : schedule.getStatus();
    long generation =
        schedule.getMetadata().getGeneration() == null ? 1 : schedule.getMetadata().getGeneration();
    List<String> problems = problems(spec);
    if (!problems.isEmpty()) {
      ImageRemovalScheduleStatus status = copy(previous, generation);
      status.setNextScheduleTime(null);
      status.setConditions(
          conditions(previous, generation, false, String.join("; ", problems), now));
      return new Result(
          Optional.empty(),
          Optional.empty(),
          List.of(),
          List.of(),
          status,
          Optional.empty(),
          problems);
    }
    CronSchedule cron = CronSchedule.parse(spec.getSchedule(), spec.effectiveTimeZone());

    Instant handled =
        latest(previous.getLastScheduleTime(), previous.getLastSkippedTime(), created(schedule));
    Optional<Instant> due =
        cron.latestAtOrBefore(now).filter(t -> handled == null || t.isAfter(handled));
    List<ScheduledRun> active = runs.stream().filter(r -> !r.finished()).toList();
    Optional<Instant> create = Optional.empty();
    Optional<Skip> skip = Optional.empty();
    List<String> replace = List.of();
    if (due.isPresent() && !spec.isSuspend()) {
      Instant t = due.get();
      boolean exists = runs.stream().anyMatch(r -> t.equals(r.scheduledTime()));
      Long deadline = spec.getStartingDeadlineSeconds();
      if (exists) {
        // created before a crash or by another replica: nothing to do for t
      } else if (deadline != null && Duration.between(t, now).getSeconds() > deadline) {
        skip =
            Optional.of(
                new Skip(
                    t,
                    true,
                    "missed the run scheduled at "
                        + t
                        + " by "
                        + Duration.between(t, now).getSeconds()
                        + "s, more than startingDeadlineSeconds "
                        + deadline));
      } else if (!active.isEmpty()
          && spec.effectiveConcurrencyPolicy() == ConcurrencyPolicy.Forbid) {
        skip =
            Optional.of(
                new Skip(
                    t,
                    false,
                    "skipped the run scheduled at "
                        + t
                        + ": "
                        + active.get(0).name()
                        + " is unfinished (concurrencyPolicy Forbid)"));
      } else {
        replace = active.stream().map(ScheduledRun::name).toList();
        create = Optional.of(t);
      }
    }

    List<String> prune = historyBeyondLimits(runs, spec);
    ImageRemovalScheduleStatus status = copy(previous, generation);
    Instant lastScheduled = latest(parse(previous.getLastScheduleTime()), create.orElse(null));
    for (ScheduledRun r : runs) lastScheduled = latest(lastScheduled, r.scheduledTime());
    status.setLastScheduleTime(lastScheduled == null ? null : lastScheduled.toString());
    skip.ifPresent(s -> status.setLastSkippedTime(s.scheduledTime().toString()));
    Instant lastSuccess = parse(previous.getLastSuccessfulTime());
    for (ScheduledRun r : runs) {
      if (r.phase() == RemovalPhase.Succeeded) lastSuccess = latest(lastSuccess, r.finishedAt());
    }
    status.setLastSuccessfulTime(lastSuccess == null ? null : lastSuccess.toString());
    List<String> activeNames = new ArrayList<>();
    for (ScheduledRun r : active) if (!replace.contains(r.name())) activeNames.add(r.name());
    create.ifPresent(t -> activeNames.add(runName(schedule.getMetadata().getName(), t)));
    activeNames.sort(Comparator.naturalOrder());
    status.setActive(activeNames);
    status.setActiveCount(activeNames.size());
    Optional<Instant> next = spec.isSuspend() ? Optional.empty() : cron.nextAfter(now);
    status.setNextScheduleTime(next.map(Instant::toString).orElse(null));
    status.setConditions(conditions(previous, generation, spec.isSuspend(), null, now));
    return new Result(create, skip, replace, prune, status, next, List.of());
  }

  /**
   * Finished runs past the limits, oldest first to go: the newest N succeeded and M failed stay.
   */
  private static List<String> historyBeyondLimits(
      List<ScheduledRun> runs, ImageRemovalScheduleSpec spec) {
    List<String> prune = new ArrayList<>();
    List<ScheduledRun> newestFirst =
        runs.stream()
            .filter(ScheduledRun::finished)
            .sorted(Comparator.comparing(ScheduledRun::scheduledTime).reversed())
            .toList();
    int succeeded = 0;
    int failed = 0;
    for (ScheduledRun r : newestFirst) {
      boolean ok = r.phase() == RemovalPhase.Succeeded;
      int kept = ok ? succeeded++ : failed++;
      int limit =
          ok ? spec.effectiveSuccessfulRunsHistoryLimit() : spec.effectiveFailedRunsHistoryLimit();
      if (kept >= limit) prune.add(r.name());
    }
    return prune;
  }

  private static List<Condition> conditions(
      ImageRemovalScheduleStatus previous,
      long generation,
      boolean suspended,
      String invalid,
      Instant now) {
    boolean ready = invalid == null && !suspended;
    String readyReason = invalid != null ? "InvalidSpec" : suspended ? "Suspended" : "Scheduled";
    String readyMessage =
        invalid != null
            ? invalid
            : suspended ? "spec.suspend is true: no run starts" : "runs start on schedule";
    List<Condition> before = previous.getConditions();
    return List.of(
        Conditions.condition(
            KubeRmi.CONDITION_READY,
            ready,
            readyReason,
            readyMessage,
            generation,
            before,
            now.toString()),
        Conditions.condition(
            KubeRmi.CONDITION_STALLED,
            invalid != null,
            invalid != null ? "InvalidSpec" : "Valid",
            invalid != null ? invalid : "the schedule and its template are valid",
            generation,
            before,
            now.toString()));
  }

  private static ImageRemovalScheduleStatus copy(ImageRemovalScheduleStatus p, long generation) {
    ImageRemovalScheduleStatus s = new ImageRemovalScheduleStatus();
    s.setObservedGeneration(generation);
    s.setLastScheduleTime(p.getLastScheduleTime());
    s.setLastSkippedTime(p.getLastSkippedTime());
    s.setLastSuccessfulTime(p.getLastSuccessfulTime());
    s.setNextScheduleTime(p.getNextScheduleTime());
    s.setActive(p.getActive() == null ? new ArrayList<>() : new ArrayList<>(p.getActive()));
    s.setActiveCount(p.getActiveCount());
    return s;
  }

  private static Instant created(ImageRemovalSchedule s) {
    return parse(s.getMetadata().getCreationTimestamp());
  }

  private static Instant parse(String t) {
    return t == null || t.isEmpty() ? null : Instant.parse(t);
  }

  private static Instant latest(String a, String b, Instant c) {
    return latest(latest(parse(a), parse(b)), c);
  }

  private static Instant latest(Instant a, Instant b) {
    if (a == null) return b;
    if (b == null) return a;
    return a.isAfter(b) ? a : b;
  }
}
