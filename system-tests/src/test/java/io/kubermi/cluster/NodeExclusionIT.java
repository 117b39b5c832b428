package io.kubermi.cluster;

import static io.kubermi.cluster.ClusterFixtures.await;
import static io.kubermi.cluster.ClusterFixtures.docsNode;
import static io.kubermi.cluster.ClusterFixtures.phase;
import static io.kubermi.cluster.ClusterFixtures.removal;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeResult;
import io.kubermi.api.RemovalPhase;
import io.kubermi.chart.RenderedChart;
import io.kubermi.cli.simulated.SimulatedEngine;
import io.kubermi.operator.OperatorConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chart's default node exclusion, as the operator reads it from the rendered Deployment's
 * environment: a removal that targets every node, or names a control-plane node, never reaches it,
 * and the removal's status says which nodes were kept out.
 */
class NodeExclusionIT {
  private TestCluster cluster;
  private final Map<String, SimulatedEngine> engines = new HashMap<>();

  @BeforeEach
  void start() {
    cluster = new TestCluster();
    cluster
        .addNode("cp1", Map.of("node-role.kubernetes.io/control-plane", ""))
        .addNode("w1", Map.of())
        .addNode("w2", Map.of());
    Deployment operator =
        RenderedChart.find(RenderedChart.render(Map.of()), Deployment.class, "krmi-operator");
    String exclusion =
        operator.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
            .filter(e -> e.getName().equals("KUBE_RMI_EXCLUDE_NODES"))
            .map(EnvVar::getValue)
            .findFirst()
            .orElseThrow();
    cluster.startOperatorExcluding(OperatorConfig.excludedNodes(exclusion));
    for (String n : List.of("cp1", "w1", "w2")) {
      SimulatedEngine engine = docsNode(false);
      engines.put(n, engine);
      cluster.startAgent(n, engine, 16);
    }
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aRemovalOfEveryNodeSkipsTheControlPlaneNodeAndSaysSo() {
    cluster.client().resource(removal("everywhere", List.of("test1:latest"))).create();
    ImageRemoval done =
        await(cluster, "everywhere", Duration.ofSeconds(30), phase(RemovalPhase.Succeeded));
    assertThat(done.getStatus().getNodes())
        .extracting(NodeResult::getName)
        .containsExactly("w1", "w2");
    assertThat(done.getStatus().getExcludedNodes()).containsExactly("cp1");
    assertThat(done.getStatus().getSummary().getNodesExcluded()).isEqualTo(1);
    assertThat(done.getStatus().getSummary().getNodesTotal()).isEqualTo(2);
    assertThat(cluster.client().resources(NodeImageRemoval.class).list().getItems())
        .extracting(c -> c.getSpec().getNodeName())
        .containsExactlyInAnyOrder("w1", "w2");
    assertThat(engines.get("cp1").store().imageOf(ClusterFixtures.ref("test1:latest")))
        .as("the control-plane node keeps the image")
        .isNotNull();
    assertThat(engines.get("w1").store().imageOf(ClusterFixtures.ref("test1:latest"))).isNull();
  }

  @Test
  void aControlPlaneNodeNamedInTheSpecIsStillExcluded() {
    ImageRemoval r = removal("named", List.of("test1:latest"));
    r.getSpec().setNodeNames(List.of("cp1"));
    cluster.client().resource(r).create();
    ImageRemoval done =
        await(cluster, "named", Duration.ofSeconds(30), phase(RemovalPhase.Succeeded));
    assertThat(done.getStatus().getExcludedNodes()).containsExactly("cp1");
    assertThat(done.getStatus().getSummary().getNodesTotal()).isZero();
    assertThat(cluster.client().resources(NodeImageRemoval.class).list().getItems()).isEmpty();
  }
}
