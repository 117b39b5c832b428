package io.kubermi.agent.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.RemovalOptions;
import io.kubermi.api.ImageResult;
import io.kubermi.api.Outcome;
import io.kubermi.testing.DockerDaemon;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The current Docker daemon with its containerd image store (the default of fresh Docker 29
 * installs): kube-rmi's rules follow the classic store, so the engine refuses every removal, dry
 * run and store reading whole, says why, and leaves the images and containers as they were. On this
 * store the daemon itself answers differently (shown here, so a change of it is noticed).
 */
class DockerContainerdStoreIT {
  @Test
  void everyRemovalIsRefusedWholeAndNothingChanges() {
    try (DockerDaemon docker = DockerDaemon.startWithContainerdStore("cstore")) {
      String id = docker.importImage("kept:1", "kept");
      docker.dockerOk("tag", "kept:1", "kept:2");
      String stopped = docker.createContainer("kept:1", "stopped");
      List<String> before = docker.imageListing();
      DockerEngine engine = new DockerEngine(docker.host(), ProtectedImages.none());

      for (RemovalOptions options :
          List.of(
              RemovalOptions.defaults(),
              new RemovalOptions(true, false, List.of(), false),
              new RemovalOptions(true, false, List.of(), true))) {
        List<ImageResult> results = engine.remove(List.of("kept:1", "kept:2", id), options);
        assertThat(results)
            .as(options.toString())
            .hasSize(3)
            .allSatisfy(
                r -> {
                  assertThat(r.getOutcome()).isEqualTo(Outcome.Error);
                  assertThat(r.getMessage())
                      .isEqualTo(DockerEngine.CONTAINERD_STORE_REFUSED)
                      .contains("driver-type io.containerd.snapshotter.v1");
                });
      }
      assertThatThrownBy(engine::snapshot)
          .isInstanceOf(EngineException.class)
          .hasMessage(DockerEngine.CONTAINERD_STORE_REFUSED);
      assertThatThrownBy(engine::listing).isInstanceOf(EngineException.class);
      assertThat(docker.imageListing()).isEqualTo(before);
      assertThat(docker.containers()).extracting(DockerDaemon.Container::id).contains(stopped);

      // Why: where the classic store refuses to untag the last name a stopped container's image
      // has, this store words it otherwise, and with force keeps the image.
      assertThat(docker.docker("rmi", "kept:2").exit()).isZero();
      assertThat(docker.docker("rmi", "kept:1").err())
          .contains(
              "conflict: unable to delete kept:1 (must be forced) - container "
                  + stopped.substring(0, 12));
      assertThat(docker.dockerOk("rmi", "-f", "kept:1")).isEqualTo("Untagged: kept:1");
      assertThat(docker.imageIds(true)).contains(id);
    }
  }
}
