package io.kubermi.agent.engine;

import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredContainer;
import io.kubermi.api.reference.DockerReference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The agent's protected list: glob patterns ({@code *} any run of characters, {@code ?} one)
 * matched against an image's ID and every reference, in familiar ({@code
 * registry.k8s.io/pause:3.9}, {@code busybox:1}) and normalized ({@code
 * docker.io/library/busybox:1}) form.
 */
public final class ProtectedImages {
  /**
   * Sandbox (pause) images of every common distribution and of the managed clusters (EKS's from
   * each region's ECR, GKE's, AKS's from MCR), and kube-rmi's own images.
   */
  public static final List<String> DEFAULT_PATTERNS =
      List.of(
          "registry.k8s.io/pause:*",
          "registry.k8s.io/pause@*",
          "k8s.gcr.io/pause:*",
          "k8s.gcr.io/pause@*",
          "*/rancher/mirrored-pause:*",
          "rancher/mirrored-pause:*",
          "*.dkr.ecr.*.amazonaws.com/eks/pause:*",
          "*.dkr.ecr.*.amazonaws.com/eks/pause@*",
          "gke.gcr.io/pause:*",
          "gke.gcr.io/pause@*",
          "*/gke-release/pause:*",
          "*/gke-release/pause@*",
          "mcr.microsoft.com/oss/kubernetes/pause:*",
          "mcr.microsoft.com/oss/kubernetes/pause@*",
          "mcr.microsoft.com/oss/v2/kubernetes/pause:*",
          "mcr.microsoft.com/oss/v2/kubernetes/pause@*",
          "*/kube-rmi/*",
          "kube-rmi/*",
          "*/kube-rmi-*",
          "kube-rmi-*");

  /**
   * Pods whose containers' images are never removed: the node's own system pods (kube-proxy, the
   * CNI, CoreDNS, the control plane's static pods on kubeadm nodes) run in kube-system.
   */
  public static final List<String> DEFAULT_NAMESPACES = List.of("kube-system");

  private final List<String> globs;
  private final List<Glob> patterns = new ArrayList<>();
  private final Set<String> namespaces;

  /** These globs, and the images of containers of pods in {@link #DEFAULT_NAMESPACES}. */
  public ProtectedImages(List<String> globs) {
    this(globs, DEFAULT_NAMESPACES);
  }

  public ProtectedImages(List<String> globs, List<String> namespaces) {
    this.globs = List.copyOf(globs);
    this.namespaces = Set.copyOf(namespaces);
    for (String g : globs) {
      patterns.add(Glob.of(g));
    }
  }

  public static ProtectedImages none() {
    return new ProtectedImages(List.of(), List.of());
  }

  /** The same protection, and these globs besides (a prune's exclusions). */
  public ProtectedImages withGlobs(List<String> more) {
    List<String> all = new ArrayList<>(globs);
    all.addAll(more);
    return new ProtectedImages(all, List.copyOf(namespaces));
  }

  public boolean isEmpty() {
    return globs.isEmpty() && namespaces.isEmpty();
  }

  public Set<String> namespaces() {
    return namespaces;
  }

  /**
   * A container, running or exited, of a pod in a protected namespace that was made from this image
   * (its restart needs the image), or empty.
   */
  public Optional<StoredContainer> systemContainerOf(String imageId, ImageStoreModel store) {
    if (namespaces.isEmpty()) return Optional.empty();
    for (StoredContainer c : store.containers()) {
      if (imageId.equals(c.imageId())
          && c.podNamespace() != null
          && namespaces.contains(c.podNamespace())) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /**
   * Every image a container of a pod in a protected namespace was made from: one pass over the
   * containers, for a prune's selection over the whole store.
   */
  public Set<String> systemImages(ImageStoreModel store) {
    Set<String> ids = new HashSet<>();
    for (StoredContainer c : store.containers()) {
      if (c.podNamespace() != null && namespaces.contains(c.podNamespace())) ids.add(c.imageId());
    }
    return ids;
  }

  /** The message a result protected for a system pod's container carries. */
  public static String systemMessage(String input, StoredContainer c) {
    return "image \""
        + input
        + "\" is used by container "
        + c.id().substring(0, Math.min(12, c.id().length()))
        + " of a pod in namespace "
        + c.podNamespace()
        + ", which the agent protects, and is never removed";
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
