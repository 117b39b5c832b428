package io.kubermi.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredContainer;
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

  @Test
  void defaultsCoverTheManagedClustersPauseImages() throws Exception {
    ProtectedImages p = new ProtectedImages(ProtectedImages.DEFAULT_PATTERNS);
    for (String pause :
        List.of(
            "602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/pause:3.5",
            "gke.gcr.io/pause:3.8",
            "us-central1-artifactregistry.gcr.io/gke-release/pause:3.9",
            "mcr.microsoft.com/oss/kubernetes/pause:3.6",
            "mcr.microsoft.com/oss/v2/kubernetes/pause:3.10")) {
      assertThat(p.match("sha256:1", List.of(ref(pause)))).as(pause).isPresent();
    }
    assertThat(p.match("sha256:1", List.of(ref("gke.gcr.io/app:1")))).isEmpty();
  }

  @Test
  void anImageOfAContainerOfAProtectedNamespacesPodIsFoundRunningOrExited() {
    ImageStoreModel store = new ImageStoreModel();
    store.addContainer(new StoredContainer("c-proxy", "sha256:proxy", false, "kube-system"));
    store.addContainer(new StoredContainer("c-app", "sha256:app", true, "default"));
    store.addContainer(new StoredContainer("c-plain", "sha256:plain", true));
    ProtectedImages p = new ProtectedImages(List.of());
    assertThat(p.systemContainerOf("sha256:proxy", store))
        .map(StoredContainer::id)
        .contains("c-proxy");
    assertThat(p.systemContainerOf("sha256:app", store)).isEmpty();
    assertThat(p.systemContainerOf("sha256:plain", store)).isEmpty();
    assertThat(
            new ProtectedImages(List.of(), List.of("default"))
                .systemContainerOf("sha256:app", store))
        .isPresent();
    assertThat(ProtectedImages.none().systemContainerOf("sha256:proxy", store)).isEmpty();
  }
}
