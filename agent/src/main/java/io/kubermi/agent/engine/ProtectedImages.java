package io.kubermi.agent.engine;

import io.kubermi.api.reference.DockerReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The agent's protected list: glob patterns ({@code *} any run of characters, {@code ?} one)
 * matched against an image's ID and every reference, in familiar ({@code
 * registry.k8s.io/pause:3.9}, {@code busybox:1}) and normalized ({@code
 * docker.io/library/busybox:1}) form.
 */
public final class ProtectedImages {
  /** Sandbox (pause) images of every common distribution, and kube-rmi's own images. */
  public static final List<String> DEFAULT_PATTERNS =
      List.of(
          "registry.k8s.io/pause:*",
          "registry.k8s.io/pause@*",
          "k8s.gcr.io/pause:*",
          "k8s.gcr.io/pause@*",
          "*/rancher/mirrored-pause:*",
          "rancher/mirrored-pause:*",
          "*/kube-rmi/*",
          "kube-rmi/*",
          "*/kube-rmi-*",
          "kube-rmi-*");

  private final List<String> globs;
  private final List<Glob> patterns = new ArrayList<>();

  public ProtectedImages(List<String> globs) {
    this.globs = List.copyOf(globs);
    for (String g : globs) {
      patterns.add(Glob.of(g));
    }
  }

  public static ProtectedImages none() {
    return new ProtectedImages(List.of());
  }

  public boolean isEmpty() {
    return globs.isEmpty();
  }

  public List<String> patterns() {
    return globs;
  }

  /** The first pattern protecting an image with this ID and these references. */
  public Optional<String> match(String imageId, List<DockerReference> references) {
    for (int i = 0; i < patterns.size(); i++) {
      Glob p = patterns.get(i);
      boolean hit =
          p.matches(imageId)
              || references.stream()
                  .anyMatch(r -> p.matches(r.familiarString()) || p.matches(r.toString()));
      if (hit) return Optional.of(globs.get(i));
    }
    return Optional.empty();
  }

  /** The message a protected result carries. */
  public static String message(String input, String pattern) {
    return "image \""
        + input
        + "\" is protected by the agent's pattern \""
        + pattern
        + "\" and is never removed";
  }
}
