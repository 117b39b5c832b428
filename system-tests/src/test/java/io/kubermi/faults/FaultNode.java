package io.kubermi.faults;

import io.kubermi.cluster.TestCluster;
import io.kubermi.controlplane.ChartIdentities;
import io.kubermi.controlplane.ControlPlane;
import io.kubermi.testing.ContainerdDaemon;
import io.kubermi.testing.DockerDaemon;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** One node of the fault tests: its images and the environment of its in-cluster processes. */
final class FaultNode {
  private FaultNode() {}

  /**
   * {@code count} one-layer images {@code <round>:<i>} loaded from one archive on the node's
   * engine; their IDs (the digests of the configs written). On Docker the daemon must list the same
   * IDs; on containerd a wrong ID would fail the checks of the removal's results, which name it.
   */
  static Map<String, String> images(
      DockerDaemon docker, ContainerdDaemon containerd, String round, int count) throws Exception {
    ImageArchive.Archive archive = ImageArchive.write(docker.dir().path(), round, count, 1);
    if (containerd != null) {
      // removed at once: the CRI's relabelling must not bring a removed name back
      containerd.importArchive(archive.tar());
      return archive.idsByName();
    }
    docker.dockerOk("load", "-q", "-i", archive.tar().toString());
    Map<String, String> listed = new HashMap<>();
    docker
        .dockerOk("images", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}", round)
        .lines()
        .map(l -> l.split(" "))
        .forEach(l -> listed.put(l[0], l[1]));
    if (!listed.equals(archive.idsByName())) {
      throw new IllegalStateException(
          "the daemon lists " + listed + " where the archive holds " + archive.idsByName());
    }
    return archive.idsByName();
  }

  /**
   * How an in-cluster process reaches the real API server: through the proxy, trusting the server's
   * certificate, authenticated by the token (a chart ServiceAccount's).
   */
  static Map<String, String> apiEnv(CuttableProxy proxy, String token) {
    Map<String, String> env = new HashMap<>(ControlPlane.shared().clientEnv(token));
    env.put("KUBERNETES_MASTER", "https://127.0.0.1:" + proxy.port() + "/");
    return env;
  }

  /**
   * How an in-cluster process reaches fabric8's mock API server (plain HTTP) through the proxy: for
   * {@link SilentWatchIT}, whose proxy must read the requests to tell watches from the rest, which
   * it cannot on the real server's TLS connections.
   */
  static Map<String, String> mockApiEnv(TestCluster cluster, CuttableProxy proxy) {
    URI master = URI.create(cluster.client().getMasterUrl().toString());
    Map<String, String> env = new HashMap<>();
    env.put(
        "KUBERNETES_MASTER",
        master.getScheme() + "://" + master.getHost() + ":" + proxy.port() + "/");
    env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
    return env;
  }

  /** A proxy in front of the real API server, which a test can cut. */
  static CuttableProxy proxy() throws IOException {
    return new CuttableProxy(URI.create(ControlPlane.shared().url()).getPort());
  }

  /**
   * The operator as its own process, started, talking through the proxy as the chart's operator
   * ServiceAccount; its log in {@code op.log} of the engine's folder.
   */
  static InClusterProcess startOperator(
      CuttableProxy proxy, ChartIdentities identities, DockerDaemon docker) {
    return new InClusterProcess(
            "operator",
            operatorEnv(apiEnv(proxy, identities.operatorToken())),
            docker.dir().resolve("op.log"))
        .start();
  }

  /**
   * The node's agent as its own process, started, talking through the proxy as the chart's agent
   * ServiceAccount, on containerd if given, else on Docker; its log in {@code agent.log}.
   */
  static InClusterProcess startAgent(
      CuttableProxy proxy,
      ChartIdentities identities,
      String node,
      DockerDaemon docker,
      ContainerdDaemon containerd,
      Path journal) {
    return new InClusterProcess(
            "agent",
            agentEnv(apiEnv(proxy, identities.agentToken()), node, docker, containerd, journal),
            docker.dir().resolve("agent.log"))
        .start();
  }

  static Map<String, String> operatorEnv(Map<String, String> api) {
    Map<String, String> env = new HashMap<>(api);
    env.put("KUBE_RMI_METRICS_PORT", "0");
    env.put("KUBE_RMI_LEASE_NAMESPACE", "kube-rmi");
    env.put("KUBE_RMI_RESYNC_SECONDS", "5");
    env.put("HOSTNAME", "kube-rmi-operator-0"); // the pod name: a restarted container keeps it
    return env;
  }

  static Map<String, String> agentEnv(
      Map<String, String> api,
      String node,
      DockerDaemon docker,
      ContainerdDaemon containerd,
      Path journal) {
    Map<String, String> env = new HashMap<>(api);
    env.put("NODE_NAME", node);
    env.put("KUBE_RMI_METRICS_PORT", "0");
    env.put("KUBE_RMI_JOURNAL_DIR", journal.toString());
    env.put(
        "KUBE_RMI_RESYNC_SECONDS", "5"); // a watch event lost in a cut costs seconds, not a minute
    if (containerd != null) {
      env.put("KUBE_RMI_ENGINE", "containerd");
      env.put("KUBE_RMI_CONTAINERD_SOCKETS", containerd.socket().toString());
    } else {
      env.put("KUBE_RMI_ENGINE", "docker");
      env.put("KUBE_RMI_DOCKER_SOCKETS", docker.socket().toString());
    }
    return env;
  }
}
