package io.kubermi.agent.engine.store;

/**
 * A container, running or not, and the image it was created from (which may since have gone). The
 * namespace of its pod, when the kubelet made it, is what the engine's own container labels say
 * ({@code io.kubernetes.pod.namespace}, set by both CRI implementations); null otherwise.
 */
public record StoredContainer(String id, String imageId, boolean running, String podNamespace) {
  /** The label the kubelet's container runtime puts on every container of a pod. */
  public static final String POD_NAMESPACE_LABEL = "io.kubernetes.pod.namespace";

  public StoredContainer(String id, String imageId, boolean running) {
    this(id, imageId, running, null);
  }
}
