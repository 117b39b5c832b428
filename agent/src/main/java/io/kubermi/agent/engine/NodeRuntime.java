package io.kubermi.agent.engine;

import java.util.Optional;

/**
 * The container runtime a node's kubelet reports in its Node object's {@code
 * status.nodeInfo.containerRuntimeVersion} ({@code containerd://1.7.22}, {@code docker://28.2.2},
 * {@code cri-o://1.30.1}), or why it could not be read. The kubelet's own word is what tells a
 * Docker node, whose host also runs a containerd (Docker's, namespace moby), from a containerd
 * node.
 */
public record NodeRuntime(Optional<String> reported, String problem) {
  static final String FIELD = "status.nodeInfo.containerRuntimeVersion";

  public static NodeRuntime reported(String version) {
    if (version == null || version.isBlank()) {
      return unknown("its Node has no " + FIELD + " (the kubelet has not reported it)");
    }
    return new NodeRuntime(Optional.of(version), "");
  }

  public static NodeRuntime unknown(String problem) {
    return new NodeRuntime(Optional.empty(), problem);
  }

  /** {@code docker} or {@code containerd} for the runtimes kube-rmi removes images on. */
  public Optional<String> engine() {
    return reported.map(
        v -> {
          if (v.startsWith("containerd://")) return "containerd";
          if (v.startsWith("docker://")) return "docker";
          return null;
        });
  }

  /**
   * The engine to open on this node: {@code auto} becomes the kubelet's runtime; an explicit choice
   * must agree with it. A choice that cannot be made is an {@link EngineException} saying what was
   * found, so the node's runs fail with it instead of running over another store.
   */
  public EngineDetector.Choice resolve(EngineDetector.Choice configured) {
    boolean auto = configured.engine().equals("auto");
    if (reported.isEmpty()) {
      if (!auto) return configured;
      throw new EngineException(
          "cannot tell which engine this node runs: "
              + problem
              + "; set the chart's agent.engine to containerd or docker");
    }
    String engine =
        engine()
            .orElseThrow(
                () ->
                    new EngineException(
                        "the node's kubelet runs "
                            + reported.get()
                            + " ("
                            + FIELD
                            + "): kube-rmi removes images on Docker and containerd only"));
    if (auto) return configured.withEngine(engine);
    if (!configured.engine().equals(engine)) {
      throw new EngineException(
          "the node's kubelet runs "
              + reported.get()
              + " ("
              + FIELD
              + "), but the agent is set to "
              + configured.engine()
              + " (the chart's agent.engine)");
    }
    return configured;
  }

  /** Opens the node's engine: the resolved choice, its failure naming the kubelet's runtime. */
  public Engine open(EngineDetector.Choice configured, ProtectedImages protectedImages) {
    EngineDetector.Choice choice = resolve(configured);
    try {
      return EngineDetector.detect(choice, protectedImages);
    } catch (EngineException e) {
      if (reported.isEmpty()) throw e;
      throw new EngineException(
          "the node's kubelet runs " + reported.get() + ", but " + e.getMessage(), e);
    }
  }
}
