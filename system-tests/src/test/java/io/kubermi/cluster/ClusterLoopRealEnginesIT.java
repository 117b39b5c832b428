package io.kubermi.cluster;

import static io.kubermi.cluster.ClusterFixtures.await;
import static io.kubermi.cluster.ClusterFixtures.finished;
import static io.kubermi.cluster.ClusterFixtures.removal;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.containerd.ContainerdEngine;
import io.kubermi.agent.engine.docker.DockerEngine;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageResult;
import io.kubermi.api.NodeFailureReason;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeResult;
import io.kubermi.api.Outcome;
import io.kubermi.api.RemovalPhase;
import io.kubermi.testing.ContainerdDaemon;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three nodes, two real Docker daemons and one real containerd, one agent each, under the real
 * operator on the embedded API server: one ImageRemoval over all of them, whose per-node results
 * must be what each engine did (checked in the engines' own listings afterwards).
 */
@ExtendWith(EnginesExtension.class)
class ClusterLoopRealEnginesIT {
  @Test
  void oneRemovalOverTwoDockerNodesAndOneContainerdNode(Engines engines) {
    DockerDaemon d1 = engines.docker("k1");
    DockerDaemon d2 = engines.docker("k2");
    ContainerdDaemon c1 = engines.containerd("k3");
    String a1 = d1.importImage("a:1", "a");
    long a1Size = Long.parseLong(d1.dockerOk("image", "inspect", "-f", "{{.Size}}", "a:1"));
    String a2 = d2.importImage("a:1", "a");
    d2.dockerOk("tag", "a:1", "b:1");
    String x2 = d2.importImage("x:1", "x");
    String stopped = d2.createContainer("x:1", "keeps-x");
    Path tar = c1.dir().resolve("a.tar");
    d1.dockerOk("save", "-o", tar.toString(), "a:1");
    c1.importArchive(tar);

    try (TestCluster cluster = new TestCluster()) {
      cluster
          .addNode("docker-1", Map.of("engine", "docker"))
          .addNode("docker-2", Map.of("engine", "docker"))
          .addNode("containerd-1", Map.of("engine", "containerd"));
      cluster.startOperator();
      cluster.startAgent("docker-1", new DockerEngine(d1.host(), ProtectedImages.none()), 16);
      cluster.startAgent("docker-2", new DockerEngine(d2.host(), ProtectedImages.none()), 16);
      cluster.startAgent(
          "containerd-1", new ContainerdEngine(c1.socket().toString(), ProtectedImages.none()), 16);

      // A dry run first: reports, changes nothing.
      ImageRemoval dry = removal("preview", List.of("x:1"));
      dry.getSpec().setForce(true);
      dry.getSpec().setDryRun(true);
      cluster.client().resource(dry).create();
      ImageRemoval previewed = await(cluster, "preview", Duration.ofSeconds(60), finished());
      assertThat(node(previewed, "docker-2").getResults())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.getOutcome()).isEqualTo(Outcome.Removed);
                assertThat(r.getDeleted()).startsWith(x2);
              });
      assertThat(d2.imageListing()).anySatisfy(l -> assertThat(l).startsWith(x2 + " x:1"));

      cluster.client().resource(removal("cleanup", List.of("a:1", "x:1"))).create();
      ImageRemoval done = await(cluster, "cleanup", Duration.ofSeconds(60), finished());
      String yaml = cluster.client().getKubernetesSerialization().asYaml(done);

      assertThat(done.getStatus().getPhase()).as(yaml).isEqualTo(RemovalPhase.Failed);
      assertThat(done.getStatus().getProgress()).isEqualTo("2/3");

      NodeResult n1 = node(done, "docker-1");
      assertThat(n1.getEngine()).startsWith("docker 20.10");
      assertThat(n1.getResults().get(0).getUntagged()).containsExactly("a:1");
      assertThat(n1.getResults().get(0).getDeleted()).startsWith(a1);
      assertThat(n1.getResults().get(1).getOutcome()).isEqualTo(Outcome.NotFound);
      assertThat(d1.imageListing()).isEmpty();

      NodeResult n2 = node(done, "docker-2");
      assertThat(n2.getPhase()).isEqualTo(RemovalPhase.Failed);
      assertThat(n2.getReason()).isEqualTo(NodeFailureReason.Conflict);
      assertThat(n2.getResults().get(0))
          .satisfies(
              r -> {
                assertThat(r.getOutcome()).isEqualTo(Outcome.Removed);
                assertThat(r.getUntagged()).containsExactly("a:1");
                assertThat(r.getDeleted()).isEmpty();
              });
      assertThat(n2.getResults().get(1).getMessage())
          .isEqualTo(
              "conflict: unable to remove repository reference \"x:1\" (must force) - "
                  + "container "
                  + stopped.substring(0, 12)
                  + " is using its referenced image "
                  + x2.substring(7, 19));
      assertThat(d2.imageListing())
          .anySatisfy(l -> assertThat(l).startsWith(a2 + " b:1"))
          .anySatisfy(l -> assertThat(l).startsWith(x2 + " x:1"));

      NodeResult n3 = node(done, "containerd-1");
      assertThat(n3.getEngine()).startsWith("containerd 1.");
      assertThat(n3.getResults())
          .extracting(ImageResult::getOutcome)
          .containsExactly(Outcome.Removed, Outcome.NotFound);
      assertThat(n3.getResults().get(0).getUntagged()).containsExactly("a:1");
      assertThat(n3.getResults().get(0).getDeleted()).startsWith(a1);
      assertThat(c1.imageListing()).isEmpty();

      assertThat(done.getStatus().getSummary().getConflicts()).isEqualTo(1);
      assertThat(done.getStatus().getSummary().getUntagged()).isEqualTo(3);

      Map<String, Long> reclaimedByNode = new HashMap<>();
      for (NodeImageRemoval child :
          cluster.client().resources(NodeImageRemoval.class).list().getItems()) {
        if (child.getMetadata().getOwnerReferences().get(0).getName().equals("cleanup")) {
          reclaimedByNode.put(child.getSpec().getNodeName(), child.getStatus().getReclaimedBytes());
        }
      }
      assertThat(reclaimedByNode).containsEntry("docker-1", a1Size).containsEntry("docker-2", 0L);
      assertThat(reclaimedByNode.get("containerd-1"))
          .as("config, layer blob and snapshot of a:1")
          .isGreaterThan(a1Size);
      assertThat(done.getStatus().getSummary().getReclaimedBytes())
          .isEqualTo(reclaimedByNode.values().stream().mapToLong(Long::longValue).sum());
    }
  }

  private static NodeResult node(ImageRemoval r, String name) {
    return r.getStatus().getNodes().stream()
        .filter(n -> n.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
