package io.kubermi.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.LinkedHashMap;
import java.util.Map;

/** The part of an object's metadata a template sets. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class TemplateMetadata {
  @JsonPropertyDescription("Labels of each run (the schedule's own label is added).")
  private Map<String, String> labels = new LinkedHashMap<>();

  @JsonPropertyDescription("Annotations of each run.")
  private Map<String, String> annotations = new LinkedHashMap<>();

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }
}
