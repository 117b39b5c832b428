package io.kubermi.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One node's image bytes around a prune with thresholds (spec.prune.imageBytes). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageBytesReport {
  @JsonPropertyDescription("The bytes the engine kept for its images when the run began.")
  private Long before;

  @JsonPropertyDescription(
      "The bytes after the run, as the engine counted them again (a dry run: before less what it"
          + " would free).")
  private Long after;

  @JsonPropertyDescription(
      "Whether before was above the high mark, so the prune ran; false: nothing was selected.")
  private Boolean aboveHigh;

  public Long getBefore() {
    return before;
  }

  public void setBefore(Long before) {
    this.before = before;
  }

  public Long getAfter() {
    return after;
  }

  public void setAfter(Long after) {
    this.after = after;
  }

  public Boolean getAboveHigh() {
    return aboveHigh;
  }

  public void setAboveHigh(Boolean aboveHigh) {
    this.aboveHigh = aboveHigh;
  }
}
