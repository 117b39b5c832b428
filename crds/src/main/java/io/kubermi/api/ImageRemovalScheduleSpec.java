package io.kubermi.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** When to create an ImageRemoval from the template, and what to keep of the runs. */
public class ImageRemovalScheduleSpec {
  @Required
  @Size(min = 1, max = KubeRmi.SCHEDULE_MAX_LENGTH)
  // The shape a schema can check (the API server's patterns run in linear time): five fields, or
  // a nickname. The operator and `kube-rmi schedule` check each field's values.
  @Pattern("^\\s*(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|\\S+(\\s+\\S+){4})\\s*$")
  @JsonPropertyDescription(
      "Cron schedule, 5 fields (minute hour day-of-month month day-of-week) or @hourly, @daily,"
          + " @weekly, @monthly, @yearly.")
  private String schedule;

  @Default("UTC")
  @Size(max = KubeRmi.TIME_ZONE_MAX_LENGTH)
  @JsonPropertyDescription("IANA time zone the schedule is read in, e.g. Europe/Berlin.")
  private String timeZone;

  @Default("false")
  @JsonPropertyDescription("No new run starts while true; running runs go on.")
  private boolean suspend;

  @Default("Forbid")
  @JsonPropertyDescription(
      "Forbid: a due run is skipped while the previous one is unfinished. Replace: the unfinished"
          + " run is deleted and the due one starts.")
  private ConcurrencyPolicy concurrencyPolicy;

  @Min(0)
  @JsonPropertyDescription(
      "A run missed by more than this many seconds (e.g. while the operator was down) is skipped.")
  private Long startingDeadlineSeconds;

  @Min(0)
  @Default("3")
  @JsonPropertyDescription("How many Succeeded runs to keep.")
  private Integer successfulRunsHistoryLimit;

  @Min(0)
  @Default("1")
  @JsonPropertyDescription("How many Failed runs to keep.")
  private Integer failedRunsHistoryLimit;

  @Required
  @JsonPropertyDescription("The ImageRemoval each run is made from.")
  private ImageRemovalTemplate template;

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }

  public boolean isSuspend() {
    return suspend;
  }

  public void setSuspend(boolean suspend) {
    this.suspend = suspend;
  }

  public ConcurrencyPolicy getConcurrencyPolicy() {
    return concurrencyPolicy;
  }

  public void setConcurrencyPolicy(ConcurrencyPolicy concurrencyPolicy) {
    this.concurrencyPolicy = concurrencyPolicy;
  }

  public Long getStartingDeadlineSeconds() {
    return startingDeadlineSeconds;
  }

  public void setStartingDeadlineSeconds(Long startingDeadlineSeconds) {
    this.startingDeadlineSeconds = startingDeadlineSeconds;
  }

  public Integer getSuccessfulRunsHistoryLimit() {
    return successfulRunsHistoryLimit;
  }

  public void setSuccessfulRunsHistoryLimit(Integer successfulRunsHistoryLimit) {
    this.successfulRunsHistoryLimit = successfulRunsHistoryLimit;
  }

  public Integer getFailedRunsHistoryLimit() {
    return failedRunsHistoryLimit;
  }

  public void setFailedRunsHistoryLimit(Integer failedRunsHistoryLimit) {
    this.failedRunsHistoryLimit = failedRunsHistoryLimit;
  }

  public ImageRemovalTemplate getTemplate() {
    return template;
  }

  public void setTemplate(ImageRemovalTemplate template) {
    this.template = template;
  }

  /** The values in force: the declared ones, or the defaults the API server would fill in. */
  public String effectiveTimeZone() {
    return timeZone == null || timeZone.isEmpty() ? "UTC" : timeZone;
  }

  public ConcurrencyPolicy effectiveConcurrencyPolicy() {
    return concurrencyPolicy == null ? ConcurrencyPolicy.Forbid : concurrencyPolicy;
  }

  public int effectiveSuccessfulRunsHistoryLimit() {
    return successfulRunsHistoryLimit == null ? 3 : successfulRunsHistoryLimit;
  }

  public int effectiveFailedRunsHistoryLimit() {
    return failedRunsHistoryLimit == null ? 1 : failedRunsHistoryLimit;
  }
}
