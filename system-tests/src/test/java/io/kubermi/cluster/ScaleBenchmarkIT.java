package io.kubermi.cluster;

import static io.kubermi.cluster.ClusterFixtures.await;
import static io.kubermi.cluster.ClusterFixtures.docsNode;
import static io.kubermi.cluster.ClusterFixtures.phase;
import static io.kubermi.cluster.ClusterFixtures.removal;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.api.ImageRemoval;
import io.kubermi.api.RemovalPhase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Many simulated agents (one watch and one worker each) under one operator on the embedded API
 * server: one ImageRemoval over every node must complete; prints the duration and the API writes
 * per node. CI runs 200 nodes; the documented benchmark runs 1,000: {@code mvn -B -pl operator
 * verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ScaleBenchmarkIT
 * -Dkube-rmi.scale.nodes=1000}
 */
class ScaleBenchmarkIT {
  static final int NODES = Integer.getInteger("kube-rmi.scale.nodes", 200);

  @Test
  void oneRemovalOverManySimulatedNodes() {
    try (TestCluster cluster = TestCluster.onMock()) {
      for (int i = 0; i < NODES; i++)
        cluster.addNode(String.format("node-%04d", i), Map.of("pool", "scale"));
      cluster.startOperator();
      for (int i = 0; i < NODES; i++)
        cluster.startAgent(String.format("node-%04d", i), docsNode(false), 16);
      sleep(2000); // informers listed and watching
      cluster.drainRequests();

      long start = System.nanoTime();
      cluster.client().resource(removal("scale", List.of("test1:latest", "nothere"))).create();
      Predicate<ImageRemoval> done =
          phase(RemovalPhase.Succeeded)
              .and(r -> r.getStatus().getSummary().getNodesSucceeded() == NODES);
      ImageRemoval finished = await(cluster, "scale", Duration.ofMinutes(5), done);
      double seconds = (System.nanoTime() - start) / 1e9;
      List<String> requests = cluster.drainRequests();
      long childWrites =
          requests.stream()
              .filter(r -> r.contains("/nodeimageremovals") && !r.startsWith("GET"))
              .count();
      long childReadsByName =
          requests.stream()
              .filter(r -> r.startsWith("GET") && r.contains("/nodeimageremovals/"))
              .count();
      long parentWrites =
          requests.stream()
              .filter(r -> r.contains("/imageremovals/scale") && !r.startsWith("GET"))
              .count();
      System.out.printf(
          "scale: %d nodes, finished in %.2f s; API writes: %.2f per node on NodeImageRemovals "
              + "(create + agent status), %.2f reads by name per node; %d writes on the"
              + " ImageRemoval status in all; %d requests in all%n",
          NODES,
          seconds,
          childWrites / (double) NODES,
          childReadsByName / (double) NODES,
          parentWrites,
          requests.size());
      assertThat(finished.getStatus().getSummary().getUntagged()).isEqualTo(NODES);
      assertThat(childWrites).isLessThanOrEqualTo(4L * NODES);
      assertThat(childReadsByName)
          .as("a status write or a spec patch costs no GET of the object before it")
          .isZero();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
