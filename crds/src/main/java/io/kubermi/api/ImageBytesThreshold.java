package io.kubermi.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A prune's disk thresholds, over the bytes the node's engine keeps for its images: the prune runs
 * on a node only when they are above {@code high}, and removes its candidates oldest-unused first
 * until they are at most {@code low}.
 */
public class ImageBytesThreshold {
  @Required
  @Size(max = KubeRmi.QUANTITY_MAX_LENGTH)
  @JsonPropertyDescription(
      "A Kubernetes quantity of bytes (e.g. 20Gi): the prune runs on a node only when its images"
          + " take more than this.")
  private String high;

  @Required
  @Size(max = KubeRmi.QUANTITY_MAX_LENGTH)
  @JsonPropertyDescription(
      "A Kubernetes quantity of bytes below high (e.g. 15Gi): the prune stops once the images"
          + " take at most this.")
  private String low;

  public String getHigh() {
    return high;
  }

  public void setHigh(String high) {
    this.high = high;
  }

  public String getLow() {
    return low;
  }

  public void setLow(String low) {
    this.low = low;
  }

  public ImageBytesThreshold copy() {
    ImageBytesThreshold t = new ImageBytesThreshold();
    t.high = high;
    t.low = low;
    return t;
  }
}
