package io.kubermi.faults;

import static io.kubermi.cluster.ClusterFixtures.await;
import static io.kubermi.cluster.ClusterFixtures.phase;
import static io.kubermi.cluster.ClusterFixtures.removal;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.api.ImageResult;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeLabel;
import io.kubermi.api.Outcome;
import io.kubermi.api.RemovalPhase;
import io.kubermi.cluster.TestCluster;
import io.kubermi.controlplane.ChartIdentities;
import io.kubermi.controlplane.ControlPlane;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A DaemonSet rolling update with surge: two agent processes for one node, sharing its host folder.
 * The second waits for the node's lock while the first runs a removal alone; once the first is
 * killed the second takes over and runs the next one.
 */
@ExtendWith(EnginesExtension.class)
class OneAgentPerNodeIT {
  @Test
  void theSecondAgentWaitsUntilTheFirstIsGone(Engines engines) throws Exception {
    DockerDaemon docker = engines.docker("surge");
    Path journal = Files.createDirectories(docker.dir().resolve("journal"));
    try (TestCluster cluster = new TestCluster();
        CuttableProxy proxy = FaultNode.proxy()) {
      cluster.addNode("n1", Map.of());
      cluster.startOperator();
      String token = ChartIdentities.apply(ControlPlane.shared()).agentToken();
      Map<String, String> env =
          FaultNode.agentEnv(FaultNode.apiEnv(proxy, token), "n1", docker, null, journal);
      Path oldLog = docker.dir().resolve("old.log");
      Path newLog = docker.dir().resolve("new.log");
      try (InClusterProcess old = new InClusterProcess("agent", env, oldLog).start();
          InClusterProcess surge = new InClusterProcess("agent", env, newLog)) {
        awaitFile(journal.resolve("n1.journal")); // the old agent holds the lock
        surge.start();
        awaitLine(newLog, "another agent holds");

        Map<String, String> first = FaultNode.images(docker, null, "first", 24);
        cluster.client().resource(removal("first", List.copyOf(first.keySet()))).create();
        await(cluster, "first", Duration.ofSeconds(60), phase(RemovalPhase.Succeeded));
        assertExact(cluster, "first", first);
        assertThat(Files.readString(newLog)).as("still waiting").contains("another agent holds");

        old.kill9();
        Map<String, String> second = FaultNode.images(docker, null, "second", 24);
        cluster.client().resource(removal("second", List.copyOf(second.keySet()))).create();
        await(cluster, "second", Duration.ofSeconds(60), phase(RemovalPhase.Succeeded));
        assertExact(cluster, "second", second);
      }
    }
  }

  private static void assertExact(TestCluster cluster, String name, Map<String, String> ids) {
    List<ImageResult> results =
        cluster
            .client()
            .resources(NodeImageRemoval.class)
            .withName(NodeLabel.childName(name, "n1"))
            .get()
            .getStatus()
            .getResults();
    assertThat(results).extracting(ImageResult::getImage).containsExactlyElementsOf(ids.keySet());
    for (ImageResult r : results) {
      assertThat(r.getOutcome())
          .as(r.getImage() + ": " + r.getMessage())
          .isEqualTo(Outcome.Removed);
      assertThat(r.getDeleted()).contains(ids.get(r.getImage()));
    }
  }

  private static void awaitFile(Path file) throws InterruptedException {
    for (int i = 0; i < 300 && !Files.exists(file); i++) Thread.sleep(100);
    assertThat(file).exists();
  }

  private static void awaitLine(Path log, String text) throws Exception {
    for (int i = 0; i < 300; i++) {
      if (Files.exists(log) && Files.readString(log).contains(text)) return;
      Thread.sleep(100);
    }
    assertThat(Files.readString(log)).contains(text);
  }
}
