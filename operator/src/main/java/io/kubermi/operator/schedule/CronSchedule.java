package io.kubermi.operator.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.kubermi.api.KubeRmi;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;

/**
 * A schedule's cron expression in its time zone, read by cron-utils with the Unix (5-field)
 * definition. The nicknames Kubernetes' CronJob takes are rewritten to their 5-field meaning first.
 */
public final class CronSchedule {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final Map<String, String> NICKNAMES =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  private final ExecutionTime times;
  private final ZoneId zone;

  private CronSchedule(ExecutionTime times, ZoneId zone) {
    this.times = times;
    this.zone = zone;
  }

  /**
   * The schedule, or an exception whose message names the field and the value.
   *
   * @throws IllegalArgumentException for a bad expression or an unknown time zone
   */
  public static CronSchedule parse(String expression, String timeZone) {
    // Bounded before any parser reads them, as the CRD's schema bounds them.
    refuseLongerThan("spec.timeZone", timeZone, KubeRmi.TIME_ZONE_MAX_LENGTH);
    refuseLongerThan("spec.schedule", expression, KubeRmi.SCHEDULE_MAX_LENGTH);
    ZoneId zone;
    try {
      zone = ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "spec.timeZone: invalid value \"" + timeZone + "\": not an IANA time zone name");
    }
    String text = expression == null ? "" : expression.trim();
    Cron cron;
    try {
      cron = PARSER.parse(NICKNAMES.getOrDefault(text, text));
      cron.validate();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "spec.schedule: invalid value \""
              + expression
              + "\": "
              + e.getMessage()
              + " (5 fields: minute hour day-of-month month day-of-week, or @hourly, @daily,"
              + " @weekly, @monthly, @yearly)");
    }
    return new CronSchedule(ExecutionTime.forCron(cron), zone);
  }

  private static void refuseLongerThan(String field, String value, int max) {
    if (value != null && value.length() > max) {
      throw new IllegalArgumentException(
          field + ": invalid value of " + value.length() + " characters: at most " + max);
    }
  }

  /**
   * The latest scheduled time at or before {@code now}, if any. When clocks go back and a
   * wall-clock time happens twice, it is scheduled once: at its first occurrence. A wall-clock time
   * that does not exist (clocks going forward) is not scheduled that day, as cron-utils reads it.
   */
  public Optional<Instant> latestAtOrBefore(Instant now) {
    ZonedDateTime at = now.atZone(zone);
    Optional<ZonedDateTime> latest =
        times.isMatch(at) && at.getSecond() == 0 && at.getNano() == 0
            ? Optional.of(at)
            : times.lastExecution(at);
    return latest.map(t -> t.withEarlierOffsetAtOverlap().toInstant());
  }

  /** The first scheduled time after {@code now}; a repeated wall-clock time counts once. */
  public Optional<Instant> nextAfter(Instant now) {
    Optional<ZonedDateTime> next = times.nextExecution(now.atZone(zone));
    while (next.isPresent() && isSecondOccurrence(next.get())) {
      next = times.nextExecution(next.get());
    }
    return next.map(ZonedDateTime::toInstant);
  }

  private static boolean isSecondOccurrence(ZonedDateTime t) {
    return !t.withEarlierOffsetAtOverlap().equals(t);
  }
}
