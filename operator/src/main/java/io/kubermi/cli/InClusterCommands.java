package io.kubermi.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.EngineDetector;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.containerd.ContainerdEngine;
import io.kubermi.agent.watch.NodeAgent;
import io.kubermi.operator.OperatorRunner;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code kube-rmi operator} and {@code kube-rmi agent}: the processes the container images run,
 * configured from the environment (the Helm chart renders it).
 */
final class InClusterCommands {
  private InClusterCommands() {}

  /** KUBE_RMI_LEASE_NAMESPACE (default: POD_NAMESPACE, else kube-rmi) holds the leader-election Lease. */
  static int operator(Map<String, String> env, PrintStream err) {
    String leaseNamespace = env.getOrDefault("KUBE_RMI_LEASE_NAMESPACE", env.getOrDefault("POD_NAMESPACE", "kube-rmi"));
    KubernetesClient client = new KubernetesClientBuilder().build();
    OperatorRunner.start(client, Clock.systemUTC(), leaseNamespace);
    return block();
  }

  /**
   * NODE_NAME (required, from the downward API); KUBE_RMI_ENGINE auto|docker|containerd;
   * KUBE_RMI_CONTAINERD_SOCKETS and KUBE_RMI_DOCKER_SOCKETS (comma lists); KUBE_RMI_CONTAINERD_NAMESPACE;
   * KUBE_RMI_PROTECTED_IMAGES (comma list of globs, default: sandbox images and kube-rmi's own).
   */
  static int agent(Map<String, String> env, PrintStream err) {
    String node = env.get("NODE_NAME");
    if (node == null || node.isBlank()) {
      err.println("kube-rmi agent: NODE_NAME is required (set it from the downward API: spec.nodeName)");
      return Main.EXIT_USAGE;
    }
    String engineChoice = env.getOrDefault("KUBE_RMI_ENGINE", "auto");
    if (!List.of("auto", "docker", "containerd").contains(engineChoice)) {
      err.println("kube-rmi agent: KUBE_RMI_ENGINE: invalid value \"" + engineChoice + "\": auto, docker or containerd");
      return Main.EXIT_USAGE;
    }
    ProtectedImages protectedImages = new ProtectedImages(env.containsKey("KUBE_RMI_PROTECTED_IMAGES")
        ? list(env.get("KUBE_RMI_PROTECTED_IMAGES")) : ProtectedImages.DEFAULT_PATTERNS);
    Engine engine = EngineDetector.detect(new EngineDetector.Choice(engineChoice,
        env.containsKey("KUBE_RMI_CONTAINERD_SOCKETS") ? list(env.get("KUBE_RMI_CONTAINERD_SOCKETS")) : EngineDetector.CONTAINERD_SOCKETS,
        env.containsKey("KUBE_RMI_DOCKER_SOCKETS") ? list(env.get("KUBE_RMI_DOCKER_SOCKETS")) : EngineDetector.DOCKER_SOCKETS,
        env.getOrDefault("KUBE_RMI_CONTAINERD_NAMESPACE", ContainerdEngine.DEFAULT_NAMESPACE)), protectedImages);
    KubernetesClient client = new KubernetesClientBuilder().build();
    new NodeAgent(client, node, engine, Clock.systemUTC(), NodeAgent.DEFAULT_CHUNK).start();
    return block();
  }

  private static List<String> list(String s) {
    return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  private static int block() {
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
