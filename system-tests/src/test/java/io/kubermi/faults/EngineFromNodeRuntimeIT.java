package io.kubermi.faults;

import static io.kubermi.cluster.ClusterFixtures.await;
import static io.kubermi.cluster.ClusterFixtures.finished;
import static io.kubermi.cluster.ClusterFixtures.removal;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.NodeFailureReason;
import io.kubermi.api.NodeResult;
import io.kubermi.api.Outcome;
import io.kubermi.api.RemovalPhase;
import io.kubermi.cluster.TestCluster;
import io.kubermi.controlplane.ChartIdentities;
import io.kubermi.controlplane.ControlPlane;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import io.kubermi.testing.Sh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent with {@code agent.engine: auto}, as its own process under the chart's agent identity,
 * on a Docker host that also runs a containerd socket (Docker's own, given the kubelet's namespace
 * so that probing sockets alone would take it): the agent opens the engine its Node's kubelet
 * reports. A node whose reported engine does not answer fails with EngineError, never Succeeded
 * over another engine's store.
 */
@ExtendWith(EnginesExtension.class)
class EngineFromNodeRuntimeIT {
  @Test
  void autoOpensTheKubeletsEngineAndANodeWhoseEngineIsMissingFails(Engines engines)
      throws Exception {
    DockerDaemon docker = engines.docker("runtime");
    docker.createContainer(docker.importImage("moby:1"), "made"); // Docker's containerd in use
    Path dockersContainerd = docker.dir().resolve("exec/containerd/containerd.sock");
    assertThat(dockersContainerd).exists();
    Sh.run(
            List.of(
                "ctr", "--address", dockersContainerd.toString(), "namespaces", "create", "k8s.io"))
        .orThrow();
    String dockerVersion = docker.dockerOk("version", "--format", "{{.Server.Version}}").strip();
    Path journals = Files.createDirectories(docker.dir().resolve("journals"));
    String missing = docker.dir().resolve("no-containerd.sock").toString();

    try (TestCluster cluster = new TestCluster();
        CuttableProxy proxy = FaultNode.proxy()) {
      addNode(cluster, "docker-node", "docker://" + dockerVersion);
      addNode(cluster, "containerd-node", "containerd://1.6.20");
      cluster.startOperator();
      String token = ChartIdentities.apply(ControlPlane.shared()).agentToken();
      Map<String, String> api = FaultNode.apiEnv(proxy, token);
      Map<String, String> ids = FaultNode.images(docker, null, "runtime", 3);
      try (InClusterProcess onDocker =
              agent(api, "docker-node", dockersContainerd.toString(), docker, journals).start();
          InClusterProcess onContainerd =
              agent(api, "containerd-node", missing, docker, journals).start()) {
        cluster.client().resource(removal("by-runtime", List.copyOf(ids.keySet()))).create();
        ImageRemoval done = await(cluster, "by-runtime", Duration.ofSeconds(90), finished());
        String yaml = cluster.client().getKubernetesSerialization().asYaml(done);

        assertThat(done.getStatus().getPhase()).as(yaml).isEqualTo(RemovalPhase.Failed);
        NodeResult onDockerNode = node(done, "docker-node");
        assertThat(onDockerNode.getPhase()).as(yaml).isEqualTo(RemovalPhase.Succeeded);
        assertThat(onDockerNode.getEngine()).isEqualTo("docker " + dockerVersion);
        assertThat(onDockerNode.getResults())
            .allSatisfy(r -> assertThat(r.getOutcome()).isEqualTo(Outcome.Removed));
        assertThat(docker.dockerOk("images", "-q", "runtime")).isBlank();

        NodeResult onContainerdNode = node(done, "containerd-node");
        assertThat(onContainerdNode.getPhase()).as(yaml).isEqualTo(RemovalPhase.Failed);
        assertThat(onContainerdNode.getReason()).isEqualTo(NodeFailureReason.EngineError);
        assertThat(onContainerdNode.getMessage())
            .contains("the node's kubelet runs containerd://1.6.20")
            .contains("no containerd answers on this node")
            .contains(missing + " (absent)");
        assertThat(onContainerdNode.getResults()).isNullOrEmpty();
      }
    }
  }

  private static void addNode(TestCluster cluster, String name, String runtime) {
    Node node =
        cluster
            .client()
            .resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build())
            .create();
    node.setStatus(
        new NodeStatusBuilder()
            .withNewNodeInfo()
            .withContainerRuntimeVersion(runtime)
            .endNodeInfo()
            .build());
    cluster.client().resource(node).updateStatus();
  }

  /** The chart's agent with {@code agent.engine: auto}: both engines' sockets to choose from. */
  private static InClusterProcess agent(
      Map<String, String> api,
      String node,
      String containerdSocket,
      DockerDaemon docker,
      Path journals)
      throws Exception {
    Map<String, String> env = new HashMap<>(api);
    env.put("NODE_NAME", node);
    env.put("KUBE_RMI_ENGINE", "auto");
    env.put("KUBE_RMI_CONTAINERD_SOCKETS", containerdSocket);
    env.put("KUBE_RMI_DOCKER_SOCKETS", docker.socket().toString());
    env.put("KUBE_RMI_METRICS_PORT", "0");
    env.put("KUBE_RMI_JOURNAL_DIR", Files.createDirectories(journals.resolve(node)).toString());
    return new InClusterProcess("agent", env, docker.dir().resolve(node + ".log"));
  }

  private static NodeResult node(ImageRemoval r, String name) {
    return r.getStatus().getNodes().stream()
        .filter(n -> n.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
