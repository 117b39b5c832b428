package io.kubermi.agent.engine.containerd;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubermi.agent.engine.DryRunViolation;
import org.junit.jupiter.api.Test;

class ReadOnlyContainerdClientTest {
  @Test
  void theReadOnlyViewRefusesEveryChangeBeforeSendingIt() {
    // No containerd listens there: a call that was sent would fail as an EngineException instead.
    try (ContainerdClient client =
        new ContainerdClient("/tmp/kube-rmi-no-such-containerd.sock", "k8s.io")) {
      ContainerdClient readOnly = client.readOnly();
      assertThatThrownBy(() -> readOnly.deleteImage("docker.io/library/a:1", true))
          .isInstanceOf(DryRunViolation.class)
          .hasMessageContaining("docker.io/library/a:1");
      assertThatThrownBy(() -> readOnly.deleteBlob("sha256:abc"))
          .isInstanceOf(DryRunViolation.class)
          .hasMessageContaining("sha256:abc");
    }
  }
}
