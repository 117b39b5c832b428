package io.kubermi.operator.targeting;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeChangesTest {
  private static Node node(Map<String, String> labels, String heartbeat) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName("n1")
        .withLabels(labels)
        .withResourceVersion(heartbeat)
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .withLastHeartbeatTime(heartbeat)
        .endCondition()
        .endStatus()
        .build();
  }

  @Test
  void aHeartbeatDoesNotAffectTargeting() {
    assertThat(
            NodeChanges.affectTargeting(
                node(Map.of("pool", "a"), "2"), node(Map.of("pool", "a"), "1")))
        .isFalse();
  }

  @Test
  void aLabelChangeDoes() {
    assertThat(
            NodeChanges.affectTargeting(
                node(Map.of("pool", "b"), "2"), node(Map.of("pool", "a"), "1")))
        .isTrue();
    assertThat(
            NodeChanges.affectTargeting(
                node(Map.of("pool", "a", "x", "y"), "2"), node(Map.of("pool", "a"), "1")))
        .isTrue();
  }
}
