package io.kubermi.agent.engine.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.RemovalOptions;
import io.kubermi.api.ImageResult;
import io.kubermi.testing.ContainerdDaemon;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Garbage collection may free less than the rules predict: here a snapshot outside any image or
 * container (a garbage-collection root, as a lease or another client's work would be) sits on an
 * image's top layer. The model cannot see it, so it predicts the layer deleted; the removals of a
 * batch are collected once, and each result claims only what that collection really freed.
 */
@ExtendWith(EnginesExtension.class)
class ContainerdGarbageIT {
  @Test
  void aLayerGarbageCollectionKeepsIsNotClaimed(Engines engines) {
    DockerDaemon docker = engines.docker("gc");
    ContainerdDaemon c = engines.containerd("gc");
    String held = docker.importImage("held:1");
    String free = docker.importImage("free:1");
    String heldLayer =
        docker.dockerOk("image", "inspect", "-f", "{{index .RootFS.Layers 0}}", "held:1");
    String freeLayer =
        docker.dockerOk("image", "inspect", "-f", "{{index .RootFS.Layers 0}}", "free:1");
    Path tar = c.dir().resolve("images.tar");
    docker.dockerOk("save", "-o", tar.toString(), "held:1", "free:1");
    c.importArchive(tar);
    // An active snapshot on held:1's only layer, kept by a gc.root label.
    c.ctrOk("snapshots", "--snapshotter", "overlayfs", "prepare", "holder", heldLayer);
    c.ctrOk(
        "snapshots", "--snapshotter", "overlayfs", "label", "holder", "containerd.io/gc.root=now");

    try (ContainerdEngine engine =
        new ContainerdEngine(c.socket().toString(), ProtectedImages.none())) {
      List<ImageResult> predicted =
          engine.remove(List.of("held:1", "free:1"), RemovalOptions.defaults().asDryRun());
      assertThat(predicted.get(0).getDeleted()).containsExactly(held, heldLayer);
      long before = engine.reclaimedBytes();
      List<ImageResult> results =
          engine.remove(List.of("held:1", "free:1"), RemovalOptions.defaults());
      assertThat(results.get(0).getUntagged()).containsExactly("held:1");
      assertThat(results.get(0).getDeleted())
          .as("the held layer is not claimed")
          .containsExactly(held);
      assertThat(results.get(1).getDeleted()).containsExactly(free, freeLayer);
      assertThat(c.ctrOk("snapshots", "--snapshotter", "overlayfs", "ls"))
          .contains(heldLayer)
          .doesNotContain(freeLayer);
      assertThat(engine.reclaimedBytes() - before).isPositive();
    }
  }
}
