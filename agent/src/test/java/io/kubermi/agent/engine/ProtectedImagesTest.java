package io.kubermi.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.api.reference.DockerReference;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtectedImagesTest {
  private static DockerReference ref(String s) throws Exception {
    return DockerReference.parseNormalizedNamed(s);
  }

  @Test
  void defaultsCoverPauseAndKubeRmi() throws Exception {
    ProtectedImages p = new ProtectedImages(ProtectedImages.DEFAULT_PATTERNS);
    assertThat(p.match("sha256:1", List.of(ref("registry.k8s.io/pause:3.9"))))
        .contains("registry.k8s.io/pause:*");
    assertThat(p.match("sha256:1", List.of(ref("ghcr.io/kube-rmi/agent:0.1.0"))))
        .contains("*/kube-rmi/*");
    assertThat(
            p.match(
                "sha256:1",
                List.of(ref("busybox:1"), ref("registry.k8s.io/pause@sha256:" + "a".repeat(64)))))
        .isPresent();
    assertThat(p.match("sha256:1", List.of(ref("busybox:1")))).isEmpty();
  }

  @Test
  void matchesNormalizedFormAndIds() throws Exception {
    ProtectedImages p = new ProtectedImages(List.of("docker.io/library/busybox:*", "sha256:abc*"));
    assertThat(p.match("sha256:9", List.of(ref("busybox:1"))))
        .contains("docker.io/library/busybox:*");
    assertThat(p.match("sha256:abcdef", List.of())).contains("sha256:abc*");
    assertThat(p.match("sha256:9", List.of(ref("busybox2:1")))).isEmpty();
  }
}
