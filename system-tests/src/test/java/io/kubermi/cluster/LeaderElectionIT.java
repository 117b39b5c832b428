package io.kubermi.cluster;

import static io.kubermi.cluster.ClusterFixtures.await;
import static io.kubermi.cluster.ClusterFixtures.docsNode;
import static io.kubermi.cluster.ClusterFixtures.phase;
import static io.kubermi.cluster.ClusterFixtures.removal;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.kubermi.api.RemovalPhase;
import io.kubermi.operator.OperatorRunner;
import io.kubermi.operator.metrics.OperatorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two operator replicas: only the Lease holder acts, and the other takes over when it stops. */
class LeaderElectionIT {
  private static LeaderElectionConfiguration election(String identity) {
    // exitOnStopLeading=false: in production a replica that loses the Lease exits; here it must not
    // end the JVM.
    return new LeaderElectionConfiguration(
        "kube-rmi-operator",
        "kube-rmi",
        Duration.ofSeconds(3),
        Duration.ofSeconds(2),
        Duration.ofMillis(250),
        identity,
        null,
        false);
  }

  private static long started(TestCluster cluster, String removal) {
    return cluster.client().v1().events().inNamespace("default").list().getItems().stream()
        .filter(
            e -> e.getInvolvedObject().getName().equals(removal) && e.getReason().equals("Started"))
        .count();
  }

  @Test
  void onlyTheLeaderActsAndTheOtherTakesOver() {
    try (TestCluster cluster = new TestCluster()) {
      cluster.addNode("n1", Map.of());
      Operator a =
          OperatorRunner.start(
              cluster.client(),
              Clock.systemUTC(),
              election("replica-a"),
              new OperatorMetrics(new SimpleMeterRegistry()));
      Operator b =
          OperatorRunner.start(
              cluster.client(),
              Clock.systemUTC(),
              election("replica-b"),
              new OperatorMetrics(new SimpleMeterRegistry()));
      try {
        cluster.startAgent("n1", docsNode(false), 16);
        cluster.client().resource(removal("first", List.of("test1:latest"))).create();
        await(cluster, "first", Duration.ofSeconds(30), phase(RemovalPhase.Succeeded));
        Lease lease =
            cluster.client().leases().inNamespace("kube-rmi").withName("kube-rmi-operator").get();
        String leader = lease.getSpec().getHolderIdentity();
        assertThat(leader).isIn("replica-a", "replica-b");
        assertThat(started(cluster, "first")).as("one replica acted").isEqualTo(1);

        (leader.equals("replica-a") ? a : b).stop();
        cluster.client().resource(removal("second", List.of("test2:latest"))).create();
        await(cluster, "second", Duration.ofSeconds(30), phase(RemovalPhase.Succeeded));
        assertThat(
                cluster
                    .client()
                    .leases()
                    .inNamespace("kube-rmi")
                    .withName("kube-rmi-operator")
                    .get()
                    .getSpec()
                    .getHolderIdentity())
            .isNotEqualTo(leader);
        assertThat(started(cluster, "second")).isEqualTo(1);
      } finally {
        a.stop();
        b.stop();
      }
    }
  }
}
