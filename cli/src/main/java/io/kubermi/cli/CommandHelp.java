package io.kubermi.cli;

import java.util.Map;
import java.util.Optional;

/**
 * What {@code kube-rmi operator --help} and {@code kube-rmi agent --help} print: the in-cluster
 * processes take no flags, only their environment. The other commands' help comes from their
 * picocli definitions.
 */
final class CommandHelp {
  private CommandHelp() {}

  private static final Map<String, String> HELP =
      Map.of(
          "operator",
          """
          Usage: kube-rmi operator

          The in-cluster operator, as the chart's Deployment runs it; configured by the
          environment: KUBE_RMI_LEASE_NAMESPACE (default POD_NAMESPACE, else kube-rmi),
          KUBE_RMI_METRICS_PORT (8080), KUBE_RMI_RESYNC_SECONDS (30), KUBE_RMI_EXCLUDE_NODES
          (a label selector as JSON: nodes no removal may target). It reads the cluster's
          address and credentials as any in-cluster client does.
          """,
          "agent",
          """
          Usage: kube-rmi agent

          The in-cluster node agent, as the chart's DaemonSet runs it; configured by the
          environment: NODE_NAME (required, from the downward API), KUBE_RMI_ENGINE
          (auto|containerd|docker), KUBE_RMI_CONTAINERD_SOCKETS, KUBE_RMI_DOCKER_SOCKETS,
          KUBE_RMI_CONTAINERD_NAMESPACE (k8s.io), KUBE_RMI_PROTECTED_IMAGES (globs),
          KUBE_RMI_PROTECTED_NAMESPACES (kube-system), KUBE_RMI_METRICS_PORT (8081),
          KUBE_RMI_JOURNAL_DIR (the node folder: the journal and the last-use record),
          KUBE_RMI_RESYNC_SECONDS (60), KUBE_RMI_START_SECONDS (60).
          It reads its Node's status.nodeInfo.containerRuntimeVersion: auto opens the engine
          the kubelet reports, and an explicit engine must agree with it.
          """);

  /** The help of the command, if it has one. */
  static Optional<String> of(String command) {
    return Optional.ofNullable(HELP.get(command));
  }
}
