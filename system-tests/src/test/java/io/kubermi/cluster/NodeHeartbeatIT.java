package io.kubermi.cluster;

import static io.kubermi.cluster.ClusterFixtures.await;
import static io.kubermi.cluster.ClusterFixtures.removal;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.RemovalPhase;
import io.kubermi.operator.metrics.OperatorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The kubelet updates each Node's status every few seconds. Those updates cannot change what a
 * removal targets, so they must not wake it; a label change must.
 */
class NodeHeartbeatIT {
  @Test
  void aNodeStatusUpdateReconcilesNoImageRemovalButALabelChangeDoes() throws Exception {
    try (TestCluster cluster = new TestCluster()) {
      cluster.addNode("n1", Map.of("pool", "a"));
      OperatorMetrics metrics = new OperatorMetrics(new SimpleMeterRegistry());
      cluster.startOperator(metrics);
      ImageRemoval r = removal("waiting", List.of("a:1"));
      r.getSpec()
          .setNodeTimeoutSeconds(
              3600); // no agent: it stays Pending, unfinished, for the whole test
      cluster.client().resource(r).create();
      await(
          cluster,
          "waiting",
          Duration.ofSeconds(30),
          x -> x.getStatus() != null && x.getStatus().getPhase() == RemovalPhase.Pending);
      double settled = settle(metrics);

      for (int i = 0; i < 5; i++) {
        String beat = Instant.now().toString();
        cluster
            .client()
            .nodes()
            .withName("n1")
            .editStatus(
                n ->
                    new NodeBuilder(n)
                        .editOrNewStatus()
                        .withConditions(
                            new NodeConditionBuilder()
                                .withType("Ready")
                                .withStatus("True")
                                .withLastHeartbeatTime(beat)
                                .build())
                        .endStatus()
                        .build());
        Thread.sleep(200);
      }
      Thread.sleep(2000);
      assertThat(metrics.reconciles()).as("reconciles after five heartbeats").isEqualTo(settled);

      cluster
          .client()
          .nodes()
          .withName("n1")
          .edit(
              n ->
                  new NodeBuilder(n).editMetadata().addToLabels("pool", "b").endMetadata().build());
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (metrics.reconciles() == settled && System.nanoTime() < deadline) Thread.sleep(50);
      assertThat(metrics.reconciles())
          .as("a label change wakes the unfinished removal")
          .isGreaterThan(settled);
    }
  }

  /**
   * The reconcile count once it stopped moving for a second (the operator's own writes echo back).
   */
  private static double settle(OperatorMetrics metrics) throws InterruptedException {
    double last = -1;
    while (last != metrics.reconciles()) {
      last = metrics.reconciles();
      Thread.sleep(1000);
    }
    return last;
  }
}
