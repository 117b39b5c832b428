package io.kubermi.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator observed of a schedule and its runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageRemovalScheduleStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("The scheduled time of the newest run created (RFC 3339).")
  private String lastScheduleTime;

  @JsonPropertyDescription(
      "The newest scheduled time skipped without a run (Forbid, or past startingDeadlineSeconds).")
  private String lastSkippedTime;

  @JsonPropertyDescription("When a run last finished Succeeded (RFC 3339).")
  private String lastSuccessfulTime;

  @JsonPropertyDescription("The next scheduled time (RFC 3339); absent while suspended or invalid.")
  private String nextScheduleTime;

  @JsonPropertyDescription("Names of the runs (ImageRemovals) not finished yet.")
  private List<String> active = new ArrayList<>();

  @JsonPropertyDescription("How many runs are not finished yet (the Active column).")
  private Integer activeCount;

  @JsonPropertyDescription(
      "kstatus conditions: Ready (valid and not suspended), Stalled (invalid schedule).")
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getLastScheduleTime() {
    return lastScheduleTime;
  }

  public void setLastScheduleTime(String lastScheduleTime) {
    this.lastScheduleTime = lastScheduleTime;
  }

  public String getLastSkippedTime() {
    return lastSkippedTime;
  }

  public void setLastSkippedTime(String lastSkippedTime) {
    this.lastSkippedTime = lastSkippedTime;
  }

  public String getLastSuccessfulTime() {
    return lastSuccessfulTime;
  }

  public void setLastSuccessfulTime(String lastSuccessfulTime) {
    this.lastSuccessfulTime = lastSuccessfulTime;
  }

  public String getNextScheduleTime() {
    return nextScheduleTime;
  }

  public void setNextScheduleTime(String nextScheduleTime) {
    this.nextScheduleTime = nextScheduleTime;
  }

  public List<String> getActive() {
    return active;
  }

  public void setActive(List<String> active) {
    this.active = active;
  }

  public Integer getActiveCount() {
    return activeCount;
  }

  public void setActiveCount(Integer activeCount) {
    this.activeCount = activeCount;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageRemovalScheduleStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(lastScheduleTime, s.lastScheduleTime)
        && Objects.equals(lastSkippedTime, s.lastSkippedTime)
        && Objects.equals(lastSuccessfulTime, s.lastSuccessfulTime)
        && Objects.equals(nextScheduleTime, s.nextScheduleTime)
        && Objects.equals(active, s.active)
        && Objects.equals(activeCount, s.activeCount)
        && Objects.equals(conditions, s.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, lastScheduleTime, nextScheduleTime, active);
  }
}
