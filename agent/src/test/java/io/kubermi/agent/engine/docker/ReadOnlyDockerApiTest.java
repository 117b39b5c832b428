package io.kubermi.agent.engine.docker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubermi.agent.engine.DryRunViolation;
import org.junit.jupiter.api.Test;

class ReadOnlyDockerApiTest {
  @Test
  void theReadOnlyViewRefusesADeleteBeforeSendingIt() {
    // No daemon listens there: a request that was sent would fail as an EngineException instead.
    try (DockerApi api = new DockerApi("unix:///tmp/kube-rmi-no-such-daemon.sock", 1)) {
      assertThatThrownBy(() -> api.readOnly().delete("/v1.41/images/busybox"))
          .isInstanceOf(DryRunViolation.class)
          .hasMessageContaining("DELETE /v1.41/images/busybox");
    }
  }
}
