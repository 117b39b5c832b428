package io.kubermi.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.containerd.ContainerdEngine;
import io.kubermi.agent.engine.docker.DockerEngine;
import io.kubermi.api.Outcome;
import io.kubermi.testing.ContainerdBuild;
import io.kubermi.testing.ContainerdDaemon;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import io.kubermi.testing.Sh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bytes an engine reports as freed equal what the engine itself measures: on Docker the sizes
 * {@code docker image inspect} gives, on containerd the blob files and snapshot folders that
 * disappear from its root.
 */
@ExtendWith(EnginesExtension.class)
class ReclaimedBytesIT {
  private static final RemovalOptions PLAIN = new RemovalOptions(false, false, List.of(), false);

  @Test
  void dockerCountsTheLayersItDeletedAndNothingForAnUntag(Engines engines) {
    DockerDaemon docker = engines.docker("bytes");
    docker.importImage("a:1");
    docker.dockerOk("tag", "a:1", "b:1");
    long aSize = size(docker, "a:1");
    docker.commitChild("a:1", "child:1");
    long childSize = size(docker, "child:1");
    assertThat(childSize).isGreaterThan(aSize);

    try (DockerEngine engine = new DockerEngine(docker.host(), ProtectedImages.none())) {
      assertThat(engine.remove(List.of("b:1"), PLAIN).get(0).getDeleted()).isEmpty();
      assertThat(engine.reclaimedBytes()).as("an untag frees nothing").isZero();

      assertThat(engine.remove(List.of("child:1"), PLAIN).get(0).getOutcome())
          .isEqualTo(Outcome.Removed);
      assertThat(engine.reclaimedBytes())
          .as("the child's own layer; the tagged parent stays")
          .isEqualTo(childSize - aSize);

      var dry = engine.remove(List.of("a:1"), new RemovalOptions(false, false, List.of(), true));
      assertThat(dry.get(0).getDeleted()).isNotEmpty();
      assertThat(engine.reclaimedBytes())
          .as("a dry run frees nothing")
          .isEqualTo(childSize - aSize);
      assertThat(engine.reclaimableBytes()).as("it says what the run will free").isEqualTo(aSize);
      assertThat(dry.get(0).getReclaimableBytes())
          .as("and so does the image's result")
          .isEqualTo(aSize);

      engine.remove(List.of("a:1"), PLAIN);
      assertThat(engine.reclaimedBytes()).isEqualTo(childSize);
    }
  }

  /**
   * Enough arguments for the concurrent path, where layer sizes come from the snapshot's image
   * sizes and earlier reads: one-layer images, children sharing their parent's layer, and the
   * parent last, whose layer is freed only then.
   */
  @Test
  void dockerCountsTheLayersOfManyImagesRemovedInOneCall(Engines engines) {
    DockerDaemon docker = engines.docker("bytesmany");
    docker.importImage("base:1", "base");
    long baseSize = size(docker, "base:1");
    List<String> refs = new ArrayList<>();
    long expected = baseSize;
    for (int i = 0; i < 8; i++) {
      docker.importImage("lone:" + i, "lone-" + i);
      expected += size(docker, "lone:" + i);
      refs.add("lone:" + i);
      docker.commitChild("base:1", "child:" + i);
      expected += size(docker, "child:" + i) - baseSize;
      refs.add("child:" + i);
    }
    refs.add("base:1");
    assertThat(refs.size()).as("the concurrent path").isGreaterThanOrEqualTo(16);

    try (DockerEngine engine = new DockerEngine(docker.host(), ProtectedImages.none())) {
      engine
          .remove(refs, PLAIN)
          .forEach(r -> assertThat(r.getOutcome()).as(r.getImage()).isEqualTo(Outcome.Removed));
      assertThat(engine.reclaimedBytes()).isEqualTo(expected);
    }
  }

  @Test
  void containerdCountsTheBlobsAndSnapshotsThatDisappear(Engines engines) throws IOException {
    DockerDaemon docker = engines.docker("bytesc");
    ContainerdDaemon c = engines.containerd("bytesc");
    docker.importImage("gone:1");
    docker.importImage("shared:1", "shared-layer");
    docker.importImage("kept:1", "shared-layer");
    Path tar = c.dir().resolve("bytes.tar");
    docker.dockerOk("save", "-o", tar.toString(), "gone:1", "shared:1", "kept:1");
    c.importArchive(tar);
    // Collect what the import left unreferenced now, so that only the removal's own garbage
    // disappears during the measurement: a synchronous delete of a throwaway name runs the GC.
    c.tag("docker.io/library/kept:1", "docker.io/library/settle:1");
    c.ctrOk("images", "rm", "--sync", "docker.io/library/settle:1");

    try (ContainerdEngine engine =
        new ContainerdEngine(c.socket().toString(), ProtectedImages.none())) {
      Map<Path, Long> before = usage(c.dir().path());
      var dry =
          engine.remove(
              List.of("gone:1", "shared:1"), new RemovalOptions(false, false, List.of(), true));
      dry.forEach(r -> assertThat(r.getOutcome()).isEqualTo(Outcome.Removed));
      assertThat(usage(c.dir().path())).as("a dry run frees nothing").isEqualTo(before);
      engine
          .remove(List.of("gone:1", "shared:1"), PLAIN)
          .forEach(r -> assertThat(r.getOutcome()).isEqualTo(Outcome.Removed));
      Map<Path, Long> after = usage(c.dir().path());
      long vanished =
          before.entrySet().stream()
              .filter(e -> !after.containsKey(e.getKey()))
              .mapToLong(Map.Entry::getValue)
              .sum();

      assertThat(vanished).as("something was freed").isPositive();
      assertThat(engine.reclaimedBytes()).isEqualTo(vanished);
      assertThat(engine.reclaimableBytes()).as("the dry run before said so").isEqualTo(vanished);
      assertThat(dry)
          .as("each image's share, the shared layer's counted once")
          .allSatisfy(r -> assertThat(r.getReclaimableBytes()).isPositive());
      assertThat(dry.stream().mapToLong(r -> r.getReclaimableBytes()).sum()).isEqualTo(vanished);
      assertThat(c.imageListing()).anyMatch(l -> l.contains("kept:1"));
    }
  }

  /**
   * On a node whose images are unpacked into another snapshotter (native, here; devmapper, zfs,
   * stargz elsewhere) the engine finds it from the images' labels and counts the bytes that
   * snapshotter frees. Read from the default overlayfs instead, the layers' bytes go uncounted.
   */
  @Test
  void containerdOnTheNativeSnapshotterFindsItAndCountsWhatItFrees(Engines engines)
      throws IOException {
    DockerDaemon docker = engines.docker("native");
    ContainerdDaemon c = engines.containerd("nativec");
    docker.importImage("gone:1");
    docker.importImage("shared:1", "shared-layer");
    docker.importImage("kept:1", "shared-layer");
    Path tar = c.dir().resolve("native.tar");
    docker.dockerOk("save", "-o", tar.toString(), "gone:1", "shared:1", "kept:1");
    // containerd 2.x imports through its transfer service, which unpacks only into the
    // snapshotters its unpack_config names (overlayfs): --local imports as 1.6 does.
    List<String> importArgs = new ArrayList<>(List.of("images", "import"));
    if (ContainerdBuild.isUpstream()) importArgs.add("--local");
    importArgs.addAll(List.of("--snapshotter", "native", tar.toString()));
    c.ctrOk(importArgs.toArray(String[]::new));
    c.tag("docker.io/library/kept:1", "docker.io/library/settle:1");
    ContainerdDaemon.awaitCriLabels(() -> c.ctrOk("images", "ls"));
    c.ctrOk("images", "rm", "--sync", "docker.io/library/settle:1");
    RemovalOptions dryRun = new RemovalOptions(false, false, List.of(), true);

    long overlayPrediction;
    try (ContainerdEngine overlay =
        new ContainerdEngine(
            c.socket().toString(),
            ContainerdEngine.DEFAULT_NAMESPACE,
            ContainerdEngine.DEFAULT_SNAPSHOTTER,
            ProtectedImages.none(),
            true)) {
      overlay.remove(List.of("gone:1", "shared:1"), dryRun);
      overlayPrediction = overlay.reclaimableBytes();
    }
    try (ContainerdEngine engine =
        new ContainerdEngine(c.socket().toString(), ProtectedImages.none())) {
      assertThat(engine.snapshotter()).isEqualTo("native");
      Map<Path, Long> before = usage(c.dir().path(), "native");
      assertThat(engine.remove(List.of("gone:1"), dryRun).get(0).getDeleted())
          .as("the image and its layer, as docker rmi prints them")
          .hasSize(2);
      engine.remove(List.of("shared:1"), dryRun);
      engine
          .remove(List.of("gone:1", "shared:1"), PLAIN)
          .forEach(r -> assertThat(r.getOutcome()).isEqualTo(Outcome.Removed));
      Map<Path, Long> after = usage(c.dir().path(), "native");
      long vanished =
          before.entrySet().stream()
              .filter(e -> !after.containsKey(e.getKey()))
              .mapToLong(Map.Entry::getValue)
              .sum();
      assertThat(vanished).as("something was freed").isPositive();
      assertThat(engine.reclaimedBytes()).isEqualTo(vanished);
      assertThat(engine.reclaimableBytes()).as("the dry runs before said so").isEqualTo(vanished);
      assertThat(overlayPrediction).as("without the layers' snapshots").isLessThan(vanished);
    }
  }

  private static long size(DockerDaemon docker, String ref) {
    return Long.parseLong(docker.dockerOk("image", "inspect", "-f", "{{.Size}}", ref));
  }

  /**
   * Each content blob file with its size, and each snapshot folder with its disk usage in the way
   * containerd measures it (allocated 512-byte blocks, as {@code du -B1} counts them).
   */
  private static Map<Path, Long> usage(Path root) throws IOException {
    return usage(root, ContainerdEngine.DEFAULT_SNAPSHOTTER);
  }

  /** As {@link #usage(Path)}, for that snapshotter's folders (native keeps no {@code fs} below). */
  private static Map<Path, Long> usage(Path root, String snapshotter) throws IOException {
    Map<Path, Long> usage = new HashMap<>();
    Path blobs = root.resolve("root/io.containerd.content.v1.content/blobs/sha256");
    try (Stream<Path> files = Files.list(blobs)) {
      files.forEach(f -> usage.put(f, sizeOf(f)));
    }
    Path snapshots =
        root.resolve("root/io.containerd.snapshotter.v1." + snapshotter + "/snapshots");
    try (Stream<Path> dirs = Files.list(snapshots)) {
      for (Path d : dirs.toList()) {
        Path measured = snapshotter.equals("overlayfs") ? d.resolve("fs") : d;
        String du = Sh.run(List.of("du", "-s", "-B1", measured.toString())).orThrow().out();
        usage.put(d, Long.parseLong(du.split("\\s+")[0]));
      }
    }
    return usage;
  }

  private static long sizeOf(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
