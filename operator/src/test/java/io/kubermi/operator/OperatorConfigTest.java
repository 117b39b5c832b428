package io.kubermi.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {
  @Test
  void noExclusionUnlessSet() {
    assertThat(OperatorConfig.fromEnv(Map.of()).excludedNodes()).isNull();
    assertThat(OperatorConfig.excludedNodes("")).isNull();
  }

  @Test
  void theChartsDefaultExclusionIsRead() {
    var s =
        OperatorConfig.excludedNodes(
            "{\"matchExpressions\":[{\"key\":\"node-role.kubernetes.io/control-plane\","
                + "\"operator\":\"Exists\"}]}");
    assertThat(s.getMatchExpressions())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getKey()).isEqualTo("node-role.kubernetes.io/control-plane");
              assertThat(r.getOperator()).isEqualTo("Exists");
            });
  }

  @Test
  void aMalformedExclusionIsRefusedByName() {
    assertThatThrownBy(() -> OperatorConfig.excludedNodes("control-plane"))
        .hasMessageStartingWith("KUBE_RMI_EXCLUDE_NODES: not a label selector");
    assertThatThrownBy(() -> OperatorConfig.excludedNodes("{\"matchLabel\":{}}"))
        .hasMessageStartingWith("KUBE_RMI_EXCLUDE_NODES: not a label selector");
    assertThatThrownBy(
            () ->
                OperatorConfig.excludedNodes(
                    "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Gt\"}]}"))
        .hasMessage(
            "KUBE_RMI_EXCLUDE_NODES: invalid operator \"Gt\": In, NotIn, Exists or DoesNotExist");
  }
}
