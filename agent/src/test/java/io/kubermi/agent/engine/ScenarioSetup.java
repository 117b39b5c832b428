package io.kubermi.agent.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The steps a docker rmi scenario is built from, recorded under role names (image "A", digest "X",
 * container "stopped") so that outputs of different setups can be compared.
 */
public abstract class ScenarioSetup {
  public final Map<String, String> roles = new LinkedHashMap<>();

  /** A one-layer image named {@code ref}, its content fixed by the role. */
  public abstract void image(String role, String ref);

  public abstract void tag(String source, String target);

  /**
   * Gives {@code image} the registry references {@code <registry>/<repoTag>} and {@code
   * <registry>/<repo>@<digest>}.
   */
  public abstract void digest(String role, String image, String repoTag);

  /**
   * Leaves {@code image} with only {@code <registry>/<repo>@<digest>}, as an image pulled by
   * digest.
   */
  public abstract void onlyDigest(String role, String image, String repoTag);

  /** Removes one reference that is not the image's last (a plain untag). */
  public abstract void untag(String ref);

  public abstract void stopped(String role, String image);

  public abstract void running(String role, String image);

  /** A child image by docker commit (Docker only: containerd has no image parents). */
  public abstract void child(String role, String parent, String ref);

  /** The registry host for references: {@code localhost:PORT}. */
  public abstract String registryHost();

  public String id(String role) {
    return roles.get(role);
  }

  public String id12(String role) {
    return roles.get(role).substring(7, 19);
  }

  public String repo(String path) {
    return registryHost() + "/" + path;
  }
}
