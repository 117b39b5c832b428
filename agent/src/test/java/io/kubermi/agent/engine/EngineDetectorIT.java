package io.kubermi.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubermi.testing.ContainerdDaemon;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EnginesExtension.class)
class EngineDetectorIT {
  @Test
  void firstAnsweringSocketWinsAndAnExplicitChoiceIsHonoured(Engines engines) throws Exception {
    DockerDaemon docker = engines.docker("det");
    ContainerdDaemon containerd = engines.containerd("det");
    Path dead = Files.createFile(docker.dir().resolve("dead.sock"));
    String missing = "/nonexistent/containerd.sock";
    List<String> cds = List.of(missing, dead.toString(), containerd.socket().toString());
    List<String> dks = List.of(docker.socket().toString());

    try (Engine e =
        EngineDetector.detect(
            new EngineDetector.Choice("auto", cds, dks, "k8s.io"), ProtectedImages.none())) {
      assertThat(e.info().name()).isEqualTo("containerd");
      assertThat(e.info().display()).startsWith("containerd 1.");
    }
    try (Engine e =
        EngineDetector.detect(
            new EngineDetector.Choice("docker", cds, dks, "k8s.io"), ProtectedImages.none())) {
      assertThat(e.info().display()).startsWith("docker 20.10");
    }
    try (Engine e =
        EngineDetector.detect(
            new EngineDetector.Choice("auto", List.of(missing), dks, "k8s.io"),
            ProtectedImages.none())) {
      assertThat(e.info().name()).isEqualTo("docker");
    }
    assertThatThrownBy(
            () ->
                EngineDetector.detect(
                    new EngineDetector.Choice(
                        "containerd", List.of(missing, dead.toString()), dks, "k8s.io"),
                    ProtectedImages.none()))
        .hasMessageContaining("no containerd answers on this node")
        .hasMessageContaining(missing + " (absent)")
        .hasMessageContaining(dead.toString());
  }
}
