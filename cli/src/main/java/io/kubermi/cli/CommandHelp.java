package io.kubermi.cli;

import java.util.Map;
import java.util.Optional;

/** What {@code kube-rmi COMMAND --help} prints: each command's synopsis and every flag. */
final class CommandHelp {
  private CommandHelp() {}

  private static final Map<String, String> HELP =
      Map.of(
          "rmi",
          """
          Usage: kube-rmi rmi [OPTIONS] IMAGE [IMAGE...]

          Remove one or more images from this machine's engine, exactly as docker rmi does:
          the same Untagged:/Deleted: lines, the same errors and exit code. No Kubernetes.

          Options:
            -f, --force                   Untag an image with several references, or used by a
                                          stopped container, as docker rmi --force
                --no-prune                Do not delete untagged parents
                --platform PLATFORM       Remove only this platform's variant (os/arch[/variant]);
                                          repeatable
                --dry-run                 Print what would be removed; change nothing
            -H, --docker-host URI         Docker daemon to use (unix:///PATH or tcp://HOST:PORT;
                                          default: DOCKER_HOST, else unix:///var/run/docker.sock)
                --containerd-address PATH containerd socket to use instead (namespace k8s.io)
            -h, --help                    Print this help

          Images protected by the agent's defaults (pause images, kube-rmi's own, images of
          kube-system pods' containers) are never removed, even with --force.
          Exit codes: 0 all removed, 1 any image failed or was not found, 2 usage error.
          """,
          "prune",
          """
          Usage: kube-rmi prune [OPTIONS]

          Remove unused images from this machine's engine, exactly as docker image prune -f
          does (dangling images only, unless -a), with its Deleted: lines and total.

          Options:
            -a, --all                     Remove every image no container uses, not only
                                          dangling ones
            -f, --force                   Accepted for docker's spelling; there is no prompt
                --filter until=DURATION   Only images created before this (e.g. 24h, or a time)
                --filter label=K[=V]      Only images with this label; label!=K[=V] without it;
                                          repeatable
                --exclude GLOB            Never remove images whose ID or reference matches
                                          (* any run of characters, ? one); repeatable
                --dry-run                 Print what would be removed; change nothing
            -H, --docker-host URI         Docker daemon to use (as for rmi)
                --containerd-address PATH containerd socket to use instead (namespace k8s.io)
            -h, --help                    Print this help

          Exit codes: 0 done, 1 an engine error, 2 usage error.
          """,
          "local",
          """
          Usage: kube-rmi local -f FILE [OPTIONS]

          Run the ImageRemovals of FILE (YAML, one or more documents) through an API server,
          the operator and one agent, all in this process, against this machine's engine, and
          print each node's docker lines. What a cluster would do, with no cluster.

          Options:
            -f FILE                       The ImageRemovals (at most 1 MiB, a regular file)
                --docker-host URI         Use this Docker daemon
                --containerd-address PATH Use this containerd (it must be the kubelet's:
                                          namespace k8s.io)
                --simulated               Use a simulated engine (the demo's node)
                --node-name NAME          The node's name in the statuses (default: local)
            -o text|yaml|json             Output: text (per node, docker's lines; default),
                                          yaml (a document per removal) or json (a v1 List
                                          of the removals, however many)
                --timeout SECONDS         Give up after this long (default 600)
            -h, --help                    Print this help

          Without an engine flag it uses DOCKER_HOST when set (as docker does), else the first
          engine that answers: the kubelet's containerd, then Docker. Exit codes: 0 all Succeeded, 1 a removal failed, timed out or named an
          image found on no node (as docker rmi), 2 invalid input, nothing applied.
          """,
          "schedule",
          """
          Usage: kube-rmi schedule -f FILE [--count N] [--from TIME]

          Check the ImageRemovalSchedules of FILE as the operator would (the cron expression,
          the time zone, the template's spec) and print each one's next scheduled times in its
          time zone, with UTC beside them. A wall-clock time that happens twice when clocks go
          back runs once; one that does not exist when they go forward does not run that day.

          Options:
            -f FILE       The ImageRemovalSchedules (at most 1 MiB, a regular file)
                --count N Times to print for each (1 to 1000, default 5)
                --from T  Print the times after this instant (RFC 3339, e.g.
                          2027-03-27T00:00:00Z; default now)
            -h, --help    Print this help

          Exit codes: 0 all valid, 2 invalid input (each problem named by field).
          """,
          "demo",
          """
          Usage: kube-rmi demo [-f FILE]

          Run the ImageRemovals of FILE (default examples/demo.yaml) on three simulated nodes,
          with the operator and agents in this process, and print each node's lines.

          Options:
            -f FILE       The ImageRemovals
            -h, --help    Print this help
          """,
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
          KUBE_RMI_JOURNAL_DIR, KUBE_RMI_RESYNC_SECONDS (60), KUBE_RMI_START_SECONDS (60).
          It reads its Node's status.nodeInfo.containerRuntimeVersion: auto opens the engine
          the kubelet reports, and an explicit engine must agree with it.
          """);

  /** The help of the command, if it has one. */
  static Optional<String> of(String command) {
    return Optional.ofNullable(HELP.get(command));
  }

  /** Whether the arguments ask for help: -h or --help before any "--". */
  static boolean asked(String[] args) {
    for (String a : args) {
      if (a.equals("--")) return false;
      if (a.equals("-h") || a.equals("--help")) return true;
    }
    return false;
  }
}
