package io.kubermi.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.kubermi.api.reference.ReferenceGrammar;
import java.util.ArrayList;
import java.util.List;

/**
 * The removal parameters, shared by an ImageRemoval and the NodeImageRemovals it creates: the
 * images of a docker rmi with its flags, or a docker image prune (exactly one of the two).
 */
public abstract class RemovalParameters {
  @Size(min = 1, max = KubeRmi.MAX_IMAGES)
  // Omitted when empty, so a prune's object has no images field for the schema's one-of rule.
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonPropertyDescription(
      "Images as docker rmi takes them: name[:tag], name@sha256:<digest>, an image ID or a unique"
          + " ID prefix. Exactly one of images and prune is set.")
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

  @Size(max = KubeRmi.MAX_PLATFORMS)
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

  @JsonPropertyDescription(
      "Instead of images: remove what docker image prune would remove on each node, with its"
          + " filters. The results name each image removed by its ID.")
  private PruneSpec prune;

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

  public PruneSpec getPrune() {
    return prune;
  }

  public void setPrune(PruneSpec prune) {
    this.prune = prune;
  }

  /** Whether this is a prune (spec.prune) rather than a removal of named images. */
  @JsonIgnore
  public boolean isPruning() {
    return prune != null;
  }

  /** Copies the removal parameters (not the targeting) from another spec. */
  public void copyParametersFrom(RemovalParameters other) {
    images = other.images == null ? new ArrayList<>() : new ArrayList<>(other.images);
    prune = other.prune == null ? null : other.prune.copy();
    force = other.force;
    noPrune = other.noPrune;
    platforms = new ArrayList<>(other.platforms);
    dryRun = other.dryRun;
  }
}
