package io.kubermi.agent;

import io.kubermi.agent.engine.EngineDetector;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.containerd.ContainerdEngine;
import io.kubermi.agent.watch.NodeAgent;
import io.kubermi.runtime.EnvSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's configuration, from the environment (the chart renders it): NODE_NAME (required,
 * downward API); KUBE_RMI_ENGINE auto|docker|containerd; KUBE_RMI_CONTAINERD_SOCKETS and
 * KUBE_RMI_DOCKER_SOCKETS (comma lists); KUBE_RMI_CONTAINERD_NAMESPACE (k8s.io);
 * KUBE_RMI_CONTAINERD_SNAPSHOTTER (auto: the one the node's images are unpacked into);
 * KUBE_RMI_PROTECTED_IMAGES (comma list of globs; default: sandbox images and kube-rmi's own);
 * KUBE_RMI_PROTECTED_NAMESPACES (comma list: images of containers of pods in these namespaces are
 * never removed; default kube-system; empty: none); KUBE_RMI_METRICS_PORT (8081);
 * KUBE_RMI_JOURNAL_DIR (the node folder for the journal and the last-use record, a hostPath the
 * chart mounts at /var/lib/kube-rmi; unset: both in memory, lost with the process);
 * KUBE_RMI_RESYNC_SECONDS (60: how often the agent lists its removals from the API server, not only
 * hearing of them from the watch); KUBE_RMI_START_SECONDS (60: how long the agent waits for its
 * first list and watch before it exits, for the kubelet to start it afresh).
 */
public record AgentConfig(
    String nodeName,
    EngineDetector.Choice engineChoice,
    List<String> protectedImages,
    List<String> protectedNamespaces,
    int metricsPort,
    Optional<Path> journalDir,
    Duration resync,
    Duration startLimit) {
  private static String snapshotter(Map<String, String> env) {
    String s =
        env.getOrDefault("KUBE_RMI_CONTAINERD_SNAPSHOTTER", ContainerdEngine.AUTO_SNAPSHOTTER);
    if (!s.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
      throw new IllegalArgumentException(
          "KUBE_RMI_CONTAINERD_SNAPSHOTTER: invalid value \""
              + s
              + "\": auto or a snapshotter's name (overlayfs, native, devmapper, zfs, ...)");
    }
    return s;
  }

  public static AgentConfig fromEnv(Map<String, String> env) {
    String node = env.get("NODE_NAME");
    if (node == null || node.isBlank()) {
      throw new IllegalArgumentException(
          "NODE_NAME is required (set it from the downward API: spec.nodeName)");
    }
    String engine = env.getOrDefault("KUBE_RMI_ENGINE", "auto");
    if (!List.of("auto", "docker", "containerd").contains(engine)) {
      throw new IllegalArgumentException(
          "KUBE_RMI_ENGINE: invalid value \"" + engine + "\": auto, docker or containerd");
    }
    EngineDetector.Choice choice =
        new EngineDetector.Choice(
            engine,
            env.containsKey("KUBE_RMI_CONTAINERD_SOCKETS")
                ? EnvSettings.list(env.get("KUBE_RMI_CONTAINERD_SOCKETS"))
                : EngineDetector.CONTAINERD_SOCKETS,
            env.containsKey("KUBE_RMI_DOCKER_SOCKETS")
                ? EnvSettings.list(env.get("KUBE_RMI_DOCKER_SOCKETS"))
                : EngineDetector.DOCKER_SOCKETS,
            env.getOrDefault("KUBE_RMI_CONTAINERD_NAMESPACE", ContainerdEngine.DEFAULT_NAMESPACE),
            snapshotter(env));
    List<String> protectedImages =
        env.containsKey("KUBE_RMI_PROTECTED_IMAGES")
            ? EnvSettings.list(env.get("KUBE_RMI_PROTECTED_IMAGES"))
            : ProtectedImages.DEFAULT_PATTERNS;
    List<String> protectedNamespaces =
        env.containsKey("KUBE_RMI_PROTECTED_NAMESPACES")
            ? EnvSettings.list(env.get("KUBE_RMI_PROTECTED_NAMESPACES"))
            : ProtectedImages.DEFAULT_NAMESPACES;
    for (String ns : protectedNamespaces) {
      if (!ns.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
        throw new IllegalArgumentException(
            "KUBE_RMI_PROTECTED_NAMESPACES: invalid namespace \"" + ns + "\"");
      }
    }
    String journal = env.get("KUBE_RMI_JOURNAL_DIR");
    if (journal != null && !journal.isBlank() && !journal.startsWith("/")) {
      throw new IllegalArgumentException(
          "KUBE_RMI_JOURNAL_DIR: invalid value \"" + journal + "\": an absolute path");
    }
    return new AgentConfig(
        node,
        choice,
        protectedImages,
        protectedNamespaces,
        EnvSettings.port(env, "KUBE_RMI_METRICS_PORT", 8081),
        journal == null || journal.isBlank() ? Optional.empty() : Optional.of(Path.of(journal)),
        EnvSettings.seconds(env, "KUBE_RMI_RESYNC_SECONDS", Duration.ofSeconds(60)),
        EnvSettings.seconds(env, "KUBE_RMI_START_SECONDS", NodeAgent.START_LIMIT));
  }
}
