package io.kubermi.agent.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.LayerChain;
import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.testing.DockerDaemon;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A Docker engine following image arrivals, on a daemon of its own: images imported, loaded or
 * tagged while it follows have their layer chains known before any removal asks, an image the
 * daemon deletes is forgotten, an image imported right after the daemon was killed and restarted is
 * known all the same, and a snapshot made from what was cached holds the daemon's own chains.
 */
class ImageArrivalsIT {
  @Test
  void knowsArrivingImagesForgetsDeletedOnesAndCatchesUpAfterTheDaemonRestarts() throws Exception {
    try (DockerDaemon docker = DockerDaemon.start("arrive");
        DockerEngine engine = new DockerEngine(docker.host(), ProtectedImages.none())) {
      String before = docker.importImage("before:1", "content-before");
      engine.followImageArrivals();

      String imported = docker.importImage("imported:1", "content-imported");
      awaitKnown(engine, docker, imported);

      docker.dockerOk("tag", "before:1", "before:2");
      awaitKnown(engine, docker, before);

      String tar = docker.dir().resolve("saved.tar").toString();
      docker.dockerOk("save", "-o", tar, "imported:1");
      docker.dockerOk("rmi", "imported:1");
      await("the deleted image forgotten", () -> engine.chains().get(imported) == null);
      docker.dockerOk("load", "-i", tar);
      awaitKnown(engine, docker, imported);

      // Killed long enough that the engine waits 8 s before its next connect: the image is
      // imported while nothing is listening, and must come from the events the daemon replays.
      ImageArrivals arrivals = engine.arrivals();
      docker.kill();
      await("a pause of 8 s before the next connect", () -> arrivals.pausesSinceOpen() >= 4);
      docker.startAgain();
      String afterRestart = docker.importImage("after-restart:1", "content-after");
      assertThat(arrivals.streamsOpened()).as("streams opened before the import").isEqualTo(1);
      awaitKnown(engine, docker, afterRestart);
      assertThat(arrivals.streamsOpened()).isEqualTo(2);

      // A snapshot built from what was cached holds the daemon's own chains.
      ImageStoreModel model = engine.snapshot();
      for (String id : List.of(before, imported, afterRestart)) {
        assertThat(model.image(id).chainIds()).isEqualTo(chainFromCli(docker, id));
      }
    }
  }

  @Test
  void aLoadedImageOfSeveralNewLayersHasItsLayerSizesKnownBeforeAnyRemoval() throws Exception {
    try (DockerDaemon docker = DockerDaemon.start("sizes");
        DockerEngine engine = new DockerEngine(docker.host(), ProtectedImages.none())) {
      docker.importImage("base:1", "content-base");
      docker.commitChild("base:1", "mid:1");
      String top = docker.commitChild("mid:1", "top:1");
      String tar = docker.dir().resolve("top.tar").toString();
      docker.dockerOk("save", "-o", tar, "top:1");
      docker.dockerOk("rmi", "top:1", "mid:1", "base:1");
      engine.followImageArrivals();

      docker.dockerOk("load", "-i", tar);
      List<String> chain = chainFromCli(docker, top);
      assertThat(chain).hasSize(3);
      LayerSizeReader sizes = engine.layerSizes();
      await(
          "the layer sizes of " + top, () -> chain.stream().allMatch(l -> sizes.known(l) != null));
      List<Long> history = historyFromCli(docker, top);
      assertThat(chain.stream().map(sizes::known).toList())
          .as("the daemon's own history, oldest layer first")
          .isEqualTo(history);

      // What a removal's byte count reads then needs no request: with the daemon killed, the
      // sizes are all there (a request would fail, and a failure gives no sizes).
      StoredImage listed = engine.snapshot().image(top);
      String version = engine.pathVersion();
      docker.kill();
      Map<String, Long> read = sizes.read("top:1", listed, version);
      for (int i = 0; i < chain.size(); i++) {
        assertThat(read).containsEntry(chain.get(i), history.get(i));
      }
    }
  }

  /** The layers' sizes in bytes as {@code docker history} prints them, oldest first. */
  private static List<Long> historyFromCli(DockerDaemon docker, String id) {
    List<Long> newestFirst =
        docker
            .dockerOk("history", "--human=false", "--no-trunc", "--format", "{{.Size}}", id)
            .lines()
            .map(String::trim)
            .map(Long::parseLong)
            .toList();
    List<Long> oldestFirst = new ArrayList<>(newestFirst);
    Collections.reverse(oldestFirst);
    return oldestFirst;
  }

  private static void awaitKnown(DockerEngine engine, DockerDaemon docker, String id)
      throws InterruptedException {
    List<String> chain = chainFromCli(docker, id);
    await("the layer chain of " + id, () -> chain.equals(engine.chains().get(id)));
  }

  private static List<String> chainFromCli(DockerDaemon docker, String id) {
    String layers = docker.dockerOk("image", "inspect", "-f", "{{join .RootFS.Layers \" \"}}", id);
    return LayerChain.chainIds(Arrays.asList(layers.trim().split(" ")));
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
