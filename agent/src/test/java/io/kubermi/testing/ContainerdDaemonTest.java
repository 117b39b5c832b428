package io.kubermi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a test's import counts as handled by the CRI plugin. */
class ContainerdDaemonTest {
  private static final String HEADER = "REF TYPE DIGEST SIZE PLATFORMS LABELS\n";
  private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  @Test
  void aNameWithoutTheCriLabelIsNotHandled() {
    String listing =
        HEADER
            + "docker.io/library/a:1 "
            + MANIFEST
            + " sha256:aa 1.0 KiB linux/amd64 -\n"
            + "sha256:11 "
            + MANIFEST
            + " sha256:aa 1.0 KiB linux/amd64 io.cri-containerd.image=managed\n";
    assertThat(ContainerdDaemon.criUnhandled(listing))
        .hasSize(1)
        .allMatch(l -> l.startsWith("docker.io"));
  }

  @Test
  void aLabelledNameWhoseTargetHasNoImageIdNameIsNotHandled() {
    String listing =
        HEADER
            + "docker.io/library/a:1 "
            + MANIFEST
            + " sha256:aa 1.0 KiB linux/amd64 io.cri-containerd.image=managed\n";
    assertThat(ContainerdDaemon.criUnhandled(listing)).hasSize(1);
  }

  @Test
  void labelledNamesWithTheirImageIdNamesAreHandled() {
    String listing =
        HEADER
            + "docker.io/library/a:1 "
            + MANIFEST
            + " sha256:aa 1.0 KiB linux/amd64 io.cri-containerd.image=managed\n"
            + "docker.io/library/b:1 "
            + MANIFEST
            + " sha256:aa 1.0 KiB linux/amd64 io.cri-containerd.image=managed\n"
            + "sha256:11 "
            + MANIFEST
            + " sha256:aa 1.0 KiB linux/amd64 io.cri-containerd.image=managed\n";
    assertThat(ContainerdDaemon.criUnhandled(listing)).isEmpty();
  }
}
