package io.kubermi.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * Counts over every result of a node's run, including those the status leaves out for size: what
 * the parent's summary adds up.
 */
public class ResultCounts {
  @JsonPropertyDescription("Results in all: one per image named, or per image pruned.")
  private long images;

  @JsonPropertyDescription("References untagged ('Untagged: ' lines).")
  private long untagged;

  @JsonPropertyDescription("Images and layers deleted ('Deleted: ' lines).")
  private long deleted;

  @JsonPropertyDescription("Conflict and Protected results.")
  private long conflicts;

  @JsonPropertyDescription("Error results.")
  private long errors;

  @JsonPropertyDescription("NotFound results.")
  private long notFound;

  public static ResultCounts of(List<ImageResult> results) {
    ResultCounts c = new ResultCounts();
    for (ImageResult r : results) {
      c.images++;
      c.untagged += r.getUntagged().size();
      c.deleted += r.getDeleted().size();
      if (r.getOutcome() == Outcome.Conflict || r.getOutcome() == Outcome.Protected) c.conflicts++;
      if (r.getOutcome() == Outcome.Error) c.errors++;
      if (r.getOutcome() == Outcome.NotFound) c.notFound++;
    }
    return c;
  }

  public long getImages() {
    return images;
  }

  public void setImages(long images) {
    this.images = images;
  }

  public long getUntagged() {
    return untagged;
  }

  public void setUntagged(long untagged) {
    this.untagged = untagged;
  }

  public long getDeleted() {
    return deleted;
  }

  public void setDeleted(long deleted) {
    this.deleted = deleted;
  }

  public long getConflicts() {
    return conflicts;
  }

  public void setConflicts(long conflicts) {
    this.conflicts = conflicts;
  }

  public long getErrors() {
    return errors;
  }

  public void setErrors(long errors) {
    this.errors = errors;
  }

  public long getNotFound() {
    return notFound;
  }

  public void setNotFound(long notFound) {
    this.notFound = notFound;
  }
}
