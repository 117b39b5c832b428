package io.kubermi.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** The labels, annotations and spec of the ImageRemoval a schedule creates. */
public class ImageRemovalTemplate {
  @JsonPropertyDescription("Labels and annotations given to each run.")
  private TemplateMetadata metadata;

  @Required
  @JsonPropertyDescription("The ImageRemoval spec of each run: images or prune.")
  private ImageRemovalSpec spec;

  public TemplateMetadata getMetadata() {
    return metadata;
  }

  public void setMetadata(TemplateMetadata metadata) {
    this.metadata = metadata;
  }

  public ImageRemovalSpec getSpec() {
    return spec;
  }

  public void setSpec(ImageRemovalSpec spec) {
    this.spec = spec;
  }
}
