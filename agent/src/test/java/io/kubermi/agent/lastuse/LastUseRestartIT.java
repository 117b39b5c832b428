package io.kubermi.agent.lastuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.testing.ContainerdDaemon;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The last-use record kept by a process of its own on real engines, driven by the engines' events
 * alone (no reading is asked for; the tracker's periodic one comes only every minute): a container
 * started is on disk within seconds; after a kill -9 the next process keeps every first sight and
 * counts a container that stopped meanwhile as used until it started; an engine killed and
 * restarted is followed again; a damaged file is reported and started afresh, never used in part.
 */
@ExtendWith(EnginesExtension.class)
class LastUseRestartIT {
  /** Well under the tracker's period, so only an event can have caused the reading. */
  private static final Duration EVENT_WAIT = Duration.ofSeconds(20);

  /**
   * After an engine restart: the follower reconnects after pauses of 1, 2, 4, 8 s while the engine
   * is away; still under the period.
   */
  private static final Duration RECONNECT_WAIT = Duration.ofSeconds(45);

  @TempDir Path folder;

  private record Node(
      String kind,
      String address,
      Function<String, String> run,
      Consumer<String> remove,
      Runnable restartEngine,
      Function<String, String> id) {}

  @Test
  void theRecordSurvivesAKilledAgentAndARestartedEngineAndADamagedOneIsRebuilt(Engines engines)
      throws Exception {
    DockerDaemon docker = engines.docker("lur");
    ContainerdDaemon containerd = engines.containerd("lur");
    docker.importImage("a:1", "a");
    docker.importImage("b:1", "b");
    Path archive = containerd.dir().resolve("lur.tar");
    docker.dockerOk("save", "-o", archive.toString(), "a:1", "b:1");
    containerd.importArchive(archive);
    int[] n = {0};
    List<Node> nodes =
        List.of(
            new Node(
                "docker",
                docker.host(),
                image -> docker.runContainer(image, "r" + n[0]++),
                id -> docker.dockerOk("rm", "-f", id),
                docker::killAndRestart,
                docker::imageId),
            new Node(
                "containerd",
                containerd.socket().toString(),
                image -> containerd.runContainer("docker.io/library/" + image, "r" + n[0]++),
                containerd::removeContainer,
                containerd::killAndRestart,
                docker::imageId));
    for (Node node : nodes) check(node, Files.createDirectories(folder.resolve(node.kind())));
  }

  private void check(Node node, Path dir) throws Exception {
    String name = node.kind();
    Path file = dir.resolve(LastUseFile.NAME);
    String a = node.id().apply("a:1");
    String b = node.id().apply("b:1");

    Process first = recorder(node, dir);
    Map<String, LastUseRecord.Entry> seen =
        await(name + " first reading", file, m -> m.containsKey(a) && m.containsKey(b));
    String container = node.run().apply("a:1");
    await(name + " a running", file, m -> m.get(a).running());

    first.destroyForcibly().waitFor();
    node.remove().accept(container);
    Instant restart = Instant.now();
    Process second = recorder(node, dir);
    Map<String, LastUseRecord.Entry> after =
        await(name + " a stopped", file, m -> m.containsKey(a) && !m.get(a).running());
    assertThat(after.get(a).lastUsed())
        .as("stopped while no agent ran: used until the next one started")
        .isAfterOrEqualTo(restart.minusMillis(1));
    assertThat(after.get(a).firstSeen()).isEqualTo(seen.get(a).firstSeen());
    assertThat(after.get(b)).isEqualTo(seen.get(b));

    node.restartEngine().run();
    String another = node.run().apply("b:1");
    Map<String, LastUseRecord.Entry> followed =
        await(
            name + " b running after the engine's restart",
            file,
            m -> m.get(b).running(),
            RECONNECT_WAIT);
    assertThat(followed.get(a)).isEqualTo(after.get(a));
    node.remove().accept(another);
    second.destroyForcibly().waitFor();

    String text = Files.readString(file);
    Files.writeString(file, text.substring(0, text.length() - 9)); // its closing line cut
    Instant rebuild = Instant.now();
    Process third = recorder(node, dir);
    Map<String, LastUseRecord.Entry> rebuilt =
        await(name + " rebuilt", file, m -> m.containsKey(a) && m.containsKey(b));
    third.destroyForcibly().waitFor();
    assertThat(Files.readString(dir.resolve("recorder.log")))
        .contains("damage: not a complete last-use record");
    assertThat(rebuilt.values())
        .as("nothing of the damaged file kept: every image first seen now, never used")
        .allMatch(e -> !e.firstSeen().isBefore(rebuild.minusMillis(1)) && e.lastUsed() == null);
  }

  private static Process recorder(Node node, Path dir) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb =
        new ProcessBuilder(
            java.toString(),
            "-Xmx128m",
            "-cp",
            System.getProperty("java.class.path"),
            LastUseRecorder.class.getName(),
            node.kind(),
            dir.toString());
    // Not on its command line: the engine fixture's kill takes every process naming its folder.
    pb.environment().put(LastUseRecorder.ADDRESS, node.address());
    return pb.redirectErrorStream(true)
        .redirectOutput(dir.resolve("recorder.log").toFile())
        .start();
  }

  /** The record on disk once it satisfies {@code ready}, within {@link #EVENT_WAIT}. */
  private static Map<String, LastUseRecord.Entry> await(
      String what, Path file, Predicate<Map<String, LastUseRecord.Entry>> ready)
      throws InterruptedException {
    return await(what, file, ready, EVENT_WAIT);
  }

  private static Map<String, LastUseRecord.Entry> await(
      String what, Path file, Predicate<Map<String, LastUseRecord.Entry>> ready, Duration wait)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    List<String> reads = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      LastUseFile.Read read = LastUseFile.read(file);
      if (read.entries() != null && ready.test(read.entries())) return read.entries();
      reads.add(read.damaged() ? read.damage() : String.valueOf(read.entries()));
      Thread.sleep(100);
    }
    String log;
    try {
      log = Files.readString(file.resolveSibling("recorder.log"));
    } catch (IOException e) {
      log = e.toString();
    }
    throw new AssertionError(
        what
            + " not on disk within "
            + wait
            + ": "
            + (reads.isEmpty() ? "" : reads.get(reads.size() - 1))
            + "; the recorder printed: "
            + log);
  }
}
