package io.kubermi.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
  @Test
  void theStartLimitIsAMinuteUnlessSet() {
    assertThat(AgentConfig.fromEnv(Map.of("NODE_NAME", "n1")).startLimit())
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(
            AgentConfig.fromEnv(Map.of("NODE_NAME", "n1", "KUBE_RMI_START_SECONDS", "300"))
                .startLimit())
        .isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void aStartLimitThatIsNotWholeSecondsIsRefusedByName() {
    assertThatThrownBy(
            () -> AgentConfig.fromEnv(Map.of("NODE_NAME", "n1", "KUBE_RMI_START_SECONDS", "1m")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("KUBE_RMI_START_SECONDS: invalid value \"1m\": whole seconds 1..3600");
  }

  @Test
  void theSnapshotterIsFoundUnlessNamedAndANameIsChecked() {
    assertThat(AgentConfig.fromEnv(Map.of("NODE_NAME", "n1")).engineChoice().snapshotter())
        .isEqualTo("auto");
    assertThat(
            AgentConfig.fromEnv(Map.of("NODE_NAME", "n1", "KUBE_RMI_CONTAINERD_SNAPSHOTTER", "zfs"))
                .engineChoice()
                .snapshotter())
        .isEqualTo("zfs");
    assertThatThrownBy(
            () ->
                AgentConfig.fromEnv(
                    Map.of("NODE_NAME", "n1", "KUBE_RMI_CONTAINERD_SNAPSHOTTER", "../x")))
        .hasMessageStartingWith("KUBE_RMI_CONTAINERD_SNAPSHOTTER: invalid value \"../x\"");
  }

  @Test
  void protectedNamespacesAreKubeSystemUnlessSetAndEachIsANamespaceName() {
    assertThat(AgentConfig.fromEnv(Map.of("NODE_NAME", "n1")).protectedNamespaces())
        .containsExactly("kube-system");
    assertThat(
            AgentConfig.fromEnv(
                    Map.of("NODE_NAME", "n1", "KUBE_RMI_PROTECTED_NAMESPACES", "kube-system, ops"))
                .protectedNamespaces())
        .containsExactly("kube-system", "ops");
    assertThat(
            AgentConfig.fromEnv(Map.of("NODE_NAME", "n1", "KUBE_RMI_PROTECTED_NAMESPACES", ""))
                .protectedNamespaces())
        .isEmpty();
    assertThatThrownBy(
            () ->
                AgentConfig.fromEnv(
                    Map.of("NODE_NAME", "n1", "KUBE_RMI_PROTECTED_NAMESPACES", "Kube_System")))
        .hasMessage("KUBE_RMI_PROTECTED_NAMESPACES: invalid namespace \"Kube_System\"");
  }
}
