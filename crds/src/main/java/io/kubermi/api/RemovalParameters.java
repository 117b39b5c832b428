package io.kubermi.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.kubermi.api.reference.ReferenceGrammar;
import java.util.ArrayList;
import java.util.List;

/** The docker rmi parameters, shared by an ImageRemoval and the NodeImageRemovals it creates. */
public abstract class RemovalParameters {
  @Required
  @Size(min = 1, max = KubeRmi.MAX_IMAGES)
  @JsonPropertyDescription(
      "Images as docker rmi takes them: name[:tag], name@sha256:<digest>, an image ID or a unique ID prefix.")
  private List<
          @Pattern(ReferenceGrammar.REFERENCE)
          @Size(min = 1, max = ReferenceGrammar.REFERENCE_MAX_LENGTH) String>
      images = new ArrayList<>();

  @Default("false")
  @JsonPropertyDescription(
      "docker rmi --force: untag images referenced several times and delete images used by stopped containers.")
  private boolean force;

  @Default("false")
  @JsonPropertyDescription("docker rmi --no-prune: do not delete untagged parent images.")
  private boolean noPrune;

  @JsonPropertyDescription(
      "Remove only these platform variants (os[/arch[/variant]]) of multi-platform images; requires force.")
  private List<
          @Pattern(ReferenceGrammar.PLATFORM) @Size(max = ReferenceGrammar.PLATFORM_MAX_LENGTH)
          String>
      platforms = new ArrayList<>();

  @Default("false")
  @JsonPropertyDescription(
      "Report what would be untagged and deleted and which conflicts would occur; change nothing.")
  private boolean dryRun;

  public List<String> getImages() {
    return images;
  }

  public void setImages(List<String> images) {
    this.images = images;
  }

  public boolean isForce() {
    return force;
  }

  public void setForce(boolean force) {
    this.force = force;
  }

  public boolean isNoPrune() {
    return noPrune;
  }

  public void setNoPrune(boolean noPrune) {
    this.noPrune = noPrune;
  }

  public List<String> getPlatforms() {
    return platforms;
  }

  public void setPlatforms(List<String> platforms) {
    this.platforms = platforms;
  }

  public boolean isDryRun() {
    return dryRun;
  }

  public void setDryRun(boolean dryRun) {
    this.dryRun = dryRun;
  }

  /** Copies the removal parameters (not the targeting) from another spec. */
  public void copyParametersFrom(RemovalParameters other) {
    images = new ArrayList<>(other.images);
    force = other.force;
    noPrune = other.noPrune;
    platforms = new ArrayList<>(other.platforms);
    dryRun = other.dryRun;
  }
}
