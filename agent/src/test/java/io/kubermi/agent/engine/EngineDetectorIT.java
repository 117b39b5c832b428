package io.kubermi.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubermi.testing.ContainerdBuild;
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
    // As on a node: the kubelet's containerd has its namespace before any agent pod runs.
    containerd.ctr("namespaces", "create", "k8s.io");

    try (Engine e =
        EngineDetector.detect(
            new EngineDetector.Choice("auto", cds, dks, "k8s.io"), ProtectedImages.none())) {
      assertThat(e.info().name()).isEqualTo("containerd");
      // Debian's 1.6 reports "1.6.20~ds1", a release built from its module "v2.3.7".
      assertThat(e.info().display())
          .startsWith(ContainerdBuild.isUpstream() ? "containerd v2." : "containerd 1.");
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

  /**
   * On a Docker node the containerd socket is Docker's own, without the kubelet's namespace: auto
   * passes it over for Docker's socket, and an explicit containerd choice fails saying why.
   */
  @Test
  void dockersOwnContainerdIsNotTakenForTheKubeletsContainerd(Engines engines) {
    DockerDaemon docker = engines.docker("detmoby");
    docker.createContainer(docker.importImage("moby:1"), "made"); // Docker's containerd in use
    String dockersContainerd = docker.dir().resolve("exec/containerd/containerd.sock").toString();
    assertThat(Files.exists(Path.of(dockersContainerd))).as(dockersContainerd).isTrue();
    List<String> cds = List.of(dockersContainerd);
    List<String> dks = List.of(docker.socket().toString());

    try (Engine e =
        EngineDetector.detect(
            new EngineDetector.Choice("auto", cds, dks, "k8s.io"), ProtectedImages.none())) {
      assertThat(e.info().name()).isEqualTo("docker");
    }
    assertThatThrownBy(
            () ->
                EngineDetector.detect(
                    new EngineDetector.Choice("containerd", cds, dks, "k8s.io"),
                    ProtectedImages.none()))
        .hasMessageContaining("no containerd answers on this node")
        .hasMessageContaining("containerd has no namespace \"k8s.io\"")
        .hasMessageContaining("not the kubelet's containerd");
  }
}
