package io.kubermi.faults;

import static io.kubermi.cluster.ClusterFixtures.await;
import static io.kubermi.cluster.ClusterFixtures.phase;
import static io.kubermi.cluster.ClusterFixtures.removal;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageResult;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeLabel;
import io.kubermi.api.Outcome;
import io.kubermi.api.RemovalPhase;
import io.kubermi.cluster.TestCluster;
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
 * Every open watch connection goes silent without being closed (a NAT or load balancer that forgets
 * an idle long-lived flow), while new connections work. The operator's informers hear nothing more
 * and do not notice; an ImageRemoval created afterwards must still run, exactly: the operator's
 * audit of its cache finds the removal its informer lacks and exits, and its restart (the
 * kubelet's, here the test's) watches afresh. The agent finds its child by its own periodic list.
 */
@ExtendWith(EnginesExtension.class)
class SilentWatchIT {
  @Test
  void aRemovalCreatedAfterTheWatchesWentSilentStillRuns(Engines engines) throws Exception {
    DockerDaemon docker = engines.docker("silent");
    Path journal = Files.createDirectories(docker.dir().resolve("journal"));
    Path opLog = docker.dir().resolve("op.log");
    // On the mock API server: the proxy reads each connection's first request to find the
    // watches, which the real server's TLS hides from it.
    try (TestCluster cluster = TestCluster.onMock();
        CuttableProxy proxy = new CuttableProxy(cluster.client().getMasterUrl().getPort())) {
      cluster.addNode("n1", Map.of());
      Map<String, String> api = FaultNode.mockApiEnv(cluster, proxy);
      try (InClusterProcess operator =
              new InClusterProcess("operator", FaultNode.operatorEnv(api), opLog).start();
          InClusterProcess agent =
              new InClusterProcess(
                      "agent",
                      FaultNode.agentEnv(api, "n1", docker, null, journal),
                      docker.dir().resolve("agent.log"))
                  .start()) {
        Map<String, String> before = FaultNode.images(docker, null, "before", 4);
        cluster.client().resource(removal("before", List.copyOf(before.keySet()))).create();
        await(cluster, "before", Duration.ofSeconds(60), phase(RemovalPhase.Succeeded));

        Map<String, String> gap = FaultNode.images(docker, null, "gap", 4);
        proxy.silenceWatches();
        cluster.client().resource(removal("gap", List.copyOf(gap.keySet()))).create();

        ImageRemoval done =
            await(
                cluster,
                "gap",
                Duration.ofSeconds(120),
                r -> {
                  operator.restartIfExited();
                  return phase(RemovalPhase.Succeeded).test(r);
                });
        assertThat(done.getStatus().getPhase()).isEqualTo(RemovalPhase.Succeeded);
        assertThat(Files.readString(opLog))
            .as("the audit found the removal the informer lacked")
            .contains("the ImageRemoval informer has not heard changes")
            .contains("gap (server ");
        List<ImageResult> results =
            cluster
                .client()
                .resources(NodeImageRemoval.class)
                .withName(NodeLabel.childName("gap", "n1"))
                .get()
                .getStatus()
                .getResults();
        assertThat(results)
            .extracting(ImageResult::getImage)
            .containsExactlyElementsOf(gap.keySet());
        for (ImageResult r : results) {
          assertThat(r.getOutcome()).as(r.getImage()).isEqualTo(Outcome.Removed);
          assertThat(r.getDeleted()).contains(gap.get(r.getImage()));
        }
      }
    }
  }
}
