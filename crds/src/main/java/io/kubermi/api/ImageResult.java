package io.kubermi.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The result of one entry of spec.images on one node, in docker rmi's words. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ImageResult {
  @JsonPropertyDescription("The reference exactly as given in spec.images.")
  private String image;

  @JsonPropertyDescription("Removed, NotFound, Conflict, Protected or Error.")
  private Outcome outcome;

  @JsonPropertyDescription(
      "References untagged, as docker prints them after 'Untagged: ' (e.g. test1:latest).")
  private List<String> untagged = new ArrayList<>();

  @JsonPropertyDescription(
      "Image and layer IDs deleted, as docker prints them after 'Deleted: ' (sha256:...).")
  private List<String> deleted = new ArrayList<>();

  @JsonPropertyDescription(
      "The engine's message for NotFound, Conflict, Protected and Error, as docker prints it. On"
          + " Removed, set only when the result was recovered from the node's journal after a"
          + " restart (it says so).")
  private String message;

  @JsonPropertyDescription(
      "Set by a dry run: the bytes removing this image would free on the node (layers and, on"
          + " containerd, the blobs only it reaches), measured as a real run measures them. The"
          + " node's reclaimedBytes is their sum.")
  private Long reclaimableBytes;

  public ImageResult() {}

  public ImageResult(
      String image, Outcome outcome, List<String> untagged, List<String> deleted, String message) {
    this.image = image;
    this.outcome = outcome;
    this.untagged = new ArrayList<>(untagged);
    this.deleted = new ArrayList<>(deleted);
    this.message = message;
  }

  public Long getReclaimableBytes() {
    return reclaimableBytes;
  }

  public void setReclaimableBytes(Long reclaimableBytes) {
    this.reclaimableBytes = reclaimableBytes;
  }

  /** Docker's answer alone: this result without a dry run's prediction of bytes. */
  public ImageResult answer() {
    return new ImageResult(image, outcome, untagged, deleted, message);
  }

  /** This result with what its removal would free, as a dry run says it. */
  public ImageResult withReclaimableBytes(long bytes) {
    this.reclaimableBytes = bytes;
    return this;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public Outcome getOutcome() {
    return outcome;
  }

  public void setOutcome(Outcome outcome) {
    this.outcome = outcome;
  }

  public List<String> getUntagged() {
    return untagged;
  }

  public void setUntagged(List<String> untagged) {
    this.untagged = untagged;
  }

  public List<String> getDeleted() {
    return deleted;
  }

  public void setDeleted(List<String> deleted) {
    this.deleted = deleted;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageResult r
        && Objects.equals(image, r.image)
        && outcome == r.outcome
        && Objects.equals(untagged, r.untagged)
        && Objects.equals(deleted, r.deleted)
        && Objects.equals(message, r.message)
        && Objects.equals(reclaimableBytes, r.reclaimableBytes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(image, outcome, untagged, deleted, message, reclaimableBytes);
  }

  @Override
  public String toString() {
    return "ImageResult{"
        + image
        + " "
        + outcome
        + " untagged="
        + untagged
        + " deleted="
        + deleted
        + (message == null ? "" : " message=" + message)
        + "}";
  }
}
