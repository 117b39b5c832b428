package io.kubermi.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** docker image prune on each node, with its filters, plus references that are never touched. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class PruneSpec {
  @Default("false")
  @JsonPropertyDescription(
      "docker image prune -a: every unused image, not only dangling ones (images without a tag).")
  private boolean all;

  @JsonPropertyDescription(
      "docker's until filter: only images created before this time, a Go duration before now"
          + " (e.g. 168h) or an RFC 3339 time (e.g. 2026-01-02T15:04:05Z).")
  @Size(max = KubeRmi.UNTIL_MAX_LENGTH)
  private String until;

  @Size(max = KubeRmi.MAX_PRUNE_FILTERS)
  @JsonPropertyDescription(
      "docker's label filters (key or key=value): an image is pruned only if it has all of them.")
  private List<@Size(min = 1, max = KubeRmi.LABEL_FILTER_MAX_LENGTH) String> labels =
      new ArrayList<>();

  @Size(max = KubeRmi.MAX_PRUNE_FILTERS)
  @JsonPropertyDescription(
      "docker's label! filters (key or key=value): an image that has all of them is kept.")
  private List<@Size(min = 1, max = KubeRmi.LABEL_FILTER_MAX_LENGTH) String> labelsNot =
      new ArrayList<>();

  @Size(max = KubeRmi.MAX_PRUNE_FILTERS)
  @JsonPropertyDescription(
      "Reference globs (e.g. registry.k8s.io/*, *:stable): an image with any matching reference is"
          + " never touched. The agent's protected list applies as well.")
  private List<@Size(min = 1, max = KubeRmi.GLOB_MAX_LENGTH) String> exclude = new ArrayList<>();

  @Min(1)
  @Max(KubeRmi.KEEP_NEWEST_MAX)
  @JsonPropertyDescription(
      "kube-rmi's own: in each repository, the given number of images created last are never"
          + " selected (all of the repository's images count, in use or not; an image whose"
          + " creation time is unknown counts as newest). E.g. 3 keeps app:build-* to its last"
          + " three builds.")
  private Integer keepNewest;

  @Size(max = KubeRmi.UNTIL_MAX_LENGTH)
  @JsonPropertyDescription(
      "kube-rmi's own: only images no container on the node has used for at least this long, a"
          + " Go duration from 1m to 87600h (e.g. 168h). Last use is what the node's agent"
          + " recorded: the last time it saw a container of the image running, or a container of"
          + " it that it had not seen before; an image never seen in use counts from the later of"
          + " its creation and the agent's first sight of it.")
  private String unusedFor;

  @JsonPropertyDescription(
      "kube-rmi's own disk thresholds over the bytes the node's engine keeps for its images"
          + " (Docker: the layers' size, as docker system df counts it; containerd: the content"
          + " store's blobs plus the committed snapshots' disk usage): the prune runs on a node"
          + " only when they are above high, and removes its candidates oldest-unused first (by"
          + " the agent's last-use record) until they are at most low. Each node reports the"
          + " bytes before and after.")
  private ImageBytesThreshold imageBytes;

  public boolean isAll() {
    return all;
  }

  public void setAll(boolean all) {
    this.all = all;
  }

  public String getUntil() {
    return until;
  }

  public void setUntil(String until) {
    this.until = until;
  }

  public List<String> getLabels() {
    return labels;
  }

  public void setLabels(List<String> labels) {
    this.labels = labels;
  }

  public List<String> getLabelsNot() {
    return labelsNot;
  }

  public void setLabelsNot(List<String> labelsNot) {
    this.labelsNot = labelsNot;
  }

  public Integer getKeepNewest() {
    return keepNewest;
  }

  public void setKeepNewest(Integer keepNewest) {
    this.keepNewest = keepNewest;
  }

  public String getUnusedFor() {
    return unusedFor;
  }

  public void setUnusedFor(String unusedFor) {
    this.unusedFor = unusedFor;
  }

  public ImageBytesThreshold getImageBytes() {
    return imageBytes;
  }

  public void setImageBytes(ImageBytesThreshold imageBytes) {
    this.imageBytes = imageBytes;
  }

  public List<String> getExclude() {
    return exclude;
  }

  public void setExclude(List<String> exclude) {
    this.exclude = exclude;
  }

  /** A copy, so a child's spec never shares lists with its parent's. */
  public PruneSpec copy() {
    PruneSpec p = new PruneSpec();
    p.all = all;
    p.until = until;
    p.labels = labels == null ? new ArrayList<>() : new ArrayList<>(labels);
    p.labelsNot = labelsNot == null ? new ArrayList<>() : new ArrayList<>(labelsNot);
    p.exclude = exclude == null ? new ArrayList<>() : new ArrayList<>(exclude);
    p.keepNewest = keepNewest;
    p.unusedFor = unusedFor;
    p.imageBytes = imageBytes == null ? null : imageBytes.copy();
    return p;
  }
}
