package io.kubermi.faults;

import io.kubermi.cluster.TestCluster;
import io.kubermi.testing.ContainerdDaemon;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Sh;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** One node of the fault tests: its images and the environment of its in-cluster processes. */
final class FaultNode {
  private FaultNode() {}

  /**
   * {@code count} one-layer images {@code <round>:<i>} made on the Docker daemon (and, for a
   * containerd node, imported there from one docker save); their IDs as that daemon reports them.
   */
  static Map<String, String> images(
      DockerDaemon docker, ContainerdDaemon containerd, String round, int count) throws Exception {
    Path src = Files.createDirectories(docker.dir().resolve("src-" + round));
    IntStream.range(0, count)
        .parallel()
        .forEach(
            i -> {
              Path d = src.resolve("d" + i);
              try {
                Files.createDirectories(d);
                Files.writeString(d.resolve("id"), round + "/" + i + "\n");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
              Sh.run(List.of("tar", "-C", d.toString(), "-cf", d + ".tar", "id")).orThrow();
              docker.dockerOk("import", d + ".tar", round + ":" + i);
            });
    Map<String, String> ids = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      ids.put(round + ":" + i, docker.imageId(round + ":" + i));
    }
    if (containerd != null) {
      List<String> save = new ArrayList<>(List.of("save", "-o", src + "/all.tar"));
      save.addAll(ids.keySet());
      docker.dockerOk(save.toArray(String[]::new));
      containerd.importArchive(src.resolve("all.tar"));
    }
    return ids;
  }

  static Map<String, String> apiEnv(TestCluster cluster, CuttableProxy proxy) {
    URI master = URI.create(cluster.client().getMasterUrl().toString());
    Map<String, String> env = new HashMap<>();
    env.put(
        "KUBERNETES_MASTER",
        master.getScheme() + "://" + master.getHost() + ":" + proxy.port() + "/");
    env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
    env.put("KUBERNETES_TRUST_CERTIFICATES", "true");
    return env;
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
      Map<String, String> api, DockerDaemon docker, ContainerdDaemon containerd, Path journal) {
    Map<String, String> env = new HashMap<>(api);
    env.put("NODE_NAME", "n1");
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
