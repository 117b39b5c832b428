package io.kubermi.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class NodeRuntimeTest {
  private static EngineDetector.Choice choice(String engine) {
    return new EngineDetector.Choice(engine, List.of("/c.sock"), List.of("/d.sock"), "k8s.io");
  }

  @Test
  void autoBecomesTheEngineTheKubeletReports() {
    assertThat(NodeRuntime.reported("docker://28.2.2").resolve(choice("auto")).engine())
        .isEqualTo("docker");
    assertThat(NodeRuntime.reported("containerd://2.1.4").resolve(choice("auto")).engine())
        .isEqualTo("containerd");
    assertThat(NodeRuntime.reported("containerd://1.7.22-k3s1").resolve(choice("auto")).engine())
        .isEqualTo("containerd");
  }

  @Test
  void anExplicitChoiceMustAgreeWithTheKubelet() {
    assertThat(NodeRuntime.reported("docker://20.10.24").resolve(choice("docker")).engine())
        .isEqualTo("docker");
    assertThatThrownBy(
            () -> NodeRuntime.reported("docker://20.10.24").resolve(choice("containerd")))
        .isInstanceOf(EngineException.class)
        .hasMessage(
            "the node's kubelet runs docker://20.10.24 (status.nodeInfo.containerRuntimeVersion),"
                + " but the agent is set to containerd (the chart's agent.engine)");
  }

  @Test
  void anotherRuntimeIsRefusedByName() {
    assertThatThrownBy(() -> NodeRuntime.reported("cri-o://1.30.1").resolve(choice("auto")))
        .hasMessage(
            "the node's kubelet runs cri-o://1.30.1 (status.nodeInfo.containerRuntimeVersion):"
                + " kube-rmi removes images on Docker and containerd only");
    assertThatThrownBy(() -> NodeRuntime.reported("cri-o://1.30.1").resolve(choice("containerd")))
        .hasMessageContaining("cri-o://1.30.1");
  }

  @Test
  void anUnknownRuntimeStopsAutoButNotAnExplicitChoice() {
    NodeRuntime unread = NodeRuntime.unknown("cannot read Node n1 (403): forbidden");
    assertThatThrownBy(() -> unread.resolve(choice("auto")))
        .hasMessage(
            "cannot tell which engine this node runs: cannot read Node n1 (403): forbidden; set"
                + " the chart's agent.engine to containerd or docker");
    assertThat(unread.resolve(choice("docker")).engine()).isEqualTo("docker");
    assertThatThrownBy(() -> NodeRuntime.reported("").resolve(choice("auto")))
        .hasMessageContaining("its Node has no status.nodeInfo.containerRuntimeVersion");
  }

  @Test
  void anEngineThatDoesNotAnswerIsReportedWithTheKubeletsRuntime() {
    assertThatThrownBy(
            () ->
                NodeRuntime.reported("containerd://1.6.20")
                    .open(choice("auto"), ProtectedImages.none()))
        .isInstanceOf(EngineException.class)
        .hasMessage(
            "the node's kubelet runs containerd://1.6.20, but no containerd answers on this node;"
                + " tried /c.sock (absent)");
  }
}
