package io.kubermi.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.cli.PruneCommandAccess;
import io.kubermi.agent.engine.containerd.ContainerdEngine;
import io.kubermi.agent.engine.docker.DockerEngine;
import io.kubermi.agent.lastuse.LastUseFile;
import io.kubermi.agent.lastuse.LastUseRecord;
import io.kubermi.testing.ContainerdDaemon;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kube-rmi prune --image-bytes-high/--image-bytes-low} on real engines, by a last-use record
 * in the node folder: four images of their own layers last used 4, 3, 2 and 1 days ago (old:1 the
 * longest unused). Below the high mark nothing is selected and the command says so; above it, with
 * the low mark one and a half images below the engine's bytes, old:1 and then older:1 go, in that
 * order, the dry run naming them first, and the bytes after, counted by the engine again, are at
 * most the low mark. On Docker and on containerd (the same images).
 */
@ExtendWith(EnginesExtension.class)
class ImageBytesPruneIT {
  /** Oldest-unused first. */
  private static final List<String> IMAGES = List.of("old:1", "older:1", "newer:1", "new:1");

  @TempDir Path folder;

  @Test
  void aboveTheHighMarkTheOldestUnusedGoUntilTheLowMark(Engines engines) throws Exception {
    DockerDaemon docker = engines.docker("ibp");
    ContainerdDaemon containerd = engines.containerd("ibp");
    for (String ref : IMAGES) docker.importImage(ref, ref);
    Path archive = containerd.dir().resolve("ibp.tar");
    List<String> save = new ArrayList<>(List.of("save", "-o", archive.toString()));
    save.addAll(IMAGES);
    docker.dockerOk(save.toArray(String[]::new));
    containerd.importArchive(archive);
    // What the import left unreferenced goes now, not in a background collection that would
    // change the engine's count between the test's reading and the command's.
    containerd.collectGarbage();
    writeRecord(docker);

    Map<List<String>, Engine> nodes =
        Map.of(
            List.of("-H", docker.host()),
            new DockerEngine(docker.host(), ProtectedImages.none()),
            List.of("--containerd-address", containerd.socket().toString()),
            new ContainerdEngine(containerd.socket().toString(), ProtectedImages.none()));
    for (Map.Entry<List<String>, Engine> node : nodes.entrySet()) {
      try (Engine engine = node.getValue()) {
        long before = engine.imageBytes();
        long perImage = before / IMAGES.size();
        PruneCommandAccess.Output calm =
            prune(node.getKey(), before + perImage, before - perImage, false);
        assertThat(calm.exit()).as(calm.err()).isZero();
        assertThat(calm.out())
            .as(node.getKey().toString())
            .doesNotContain("untagged:")
            .contains("at or under the high mark: nothing selected");

        long low = before - perImage * 3 / 2;
        PruneCommandAccess.Output dry = prune(node.getKey(), before - perImage / 2, low, true);
        PruneCommandAccess.Output real = prune(node.getKey(), before - perImage / 2, low, false);
        assertThat(untagged(real.out()))
            .as(node.getKey().toString())
            .containsExactly("old:1", "older:1");
        assertThat(untagged(dry.out())).as("dry run").isEqualTo(untagged(real.out()));
        long after = engine.imageBytes();
        assertThat(after).isLessThanOrEqualTo(low).isGreaterThan(low - perImage * 2);
        assertThat(real.out()).contains("Image bytes: ").contains(" before, ").contains(" after");
        System.out.println(
            "ImageBytesPruneIT " + node.getKey().get(0) + ":\n" + real.out().strip());
      }
    }
  }

  /**
   * containerd's root on a 96 MiB tmpfs made for the test: the bytes a threshold run frees by the
   * engine's count (content store plus committed snapshots) are the bytes the file system gets
   * back, within its metadata database's pages, and the run stops at the low mark on it too.
   */
  @Test
  void onASmallFileSystemWhatTheEngineCountsIsWhatTheFileSystemFrees(Engines engines)
      throws Exception {
    DockerDaemon docker = engines.docker("ibs");
    ContainerdDaemon containerd = engines.containerdOnSmallFileSystem("ibs", 96);
    for (String ref : IMAGES) docker.importImage(ref, ref);
    Path archive = docker.dir().resolve("ibs.tar");
    List<String> save = new ArrayList<>(List.of("save", "-o", archive.toString()));
    save.addAll(IMAGES);
    docker.dockerOk(save.toArray(String[]::new));
    containerd.importArchive(archive);
    // What the import left unreferenced goes now, not in a background collection that would
    // change the engine's count between the test's reading and the command's.
    containerd.collectGarbage();
    writeRecord(docker);
    try (Engine engine =
        new ContainerdEngine(containerd.socket().toString(), ProtectedImages.none())) {
      long before = engine.imageBytes();
      long diskBefore = containerd.rootBytesInUse();
      long low = before - before / IMAGES.size() * 3 / 2;
      PruneCommandAccess.Output real =
          prune(
              List.of("--containerd-address", containerd.socket().toString()),
              before - before / IMAGES.size() / 2,
              low,
              false);
      assertThat(untagged(real.out()))
          .as(real.out() + real.err())
          .containsExactly("old:1", "older:1");
      long after = engine.imageBytes();
      long diskAfter = containerd.rootBytesInUse();
      long counted = before - after;
      long onDisk = diskBefore - diskAfter;
      System.out.printf(
          "ImageBytesPruneIT on a 96 MiB tmpfs: engine count %d -> %d (%d freed); file system"
              + " %d -> %d bytes in use (%d freed)%n",
          before, after, counted, diskBefore, diskAfter, onDisk);
      assertThat(onDisk).isBetween(counted - counted / 10, counted + counted / 10);
      assertThat(diskBefore - diskAfter)
          .as("the file system got back what the low mark asked for")
          .isGreaterThanOrEqualTo((before - low) * 9 / 10);
    }
  }

  private void writeRecord(DockerDaemon docker) throws java.io.IOException {
    Instant now = Instant.now();
    Map<String, LastUseRecord.Entry> record = new HashMap<>();
    for (int i = 0; i < IMAGES.size(); i++) {
      Instant used = now.minus(Duration.ofDays(4 - i));
      record.put(
          docker.imageId(IMAGES.get(i)),
          new LastUseRecord.Entry(now.minus(Duration.ofDays(30)), used, false));
    }
    LastUseFile.write(Files.createDirectories(folder).resolve(LastUseFile.NAME), record);
  }

  private PruneCommandAccess.Output prune(
      List<String> engine, long high, long low, boolean dryRun) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-a",
                "--image-bytes-high",
                Long.toString(high),
                "--image-bytes-low",
                Long.toString(low),
                "--node-folder",
                folder.toString()));
    args.addAll(engine);
    if (dryRun) args.add("--dry-run");
    return PruneCommandAccess.run(args);
  }

  private static List<String> untagged(String out) {
    return out.lines()
        .filter(l -> l.startsWith("untagged: "))
        .map(l -> l.substring("untagged: ".length()).replace("docker.io/library/", ""))
        .toList();
  }
}
