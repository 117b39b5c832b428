package io.kubermi.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.containerd.ContainerdEngine;
import io.kubermi.agent.engine.docker.DockerEngine;
import io.kubermi.agent.engine.rules.PruneOp;
import io.kubermi.agent.lastuse.LastUseTracker;
import io.kubermi.api.ImageResult;
import io.kubermi.api.prune.PruneFilters;
import io.kubermi.testing.ContainerdDaemon;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import io.kubermi.testing.ImageAging;
import io.kubermi.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prune's unusedFor on real engines, the agent's clock injected: three images created a month
 * ago, one used by a container yesterday, one eight days ago, one never. {@code unusedFor: 168h}
 * keeps the one used yesterday and removes the other two, where docker's {@code until=168h} (by
 * creation) would have selected all three; the dry run names what the real run removes. On Docker
 * and on containerd (the same images, through docker save).
 */
@ExtendWith(EnginesExtension.class)
class LastUseIT {
  private static final Instant NOW = Instant.now();
  private static final List<String> IMAGES = List.of("yesterday:1", "eightdays:1", "never:1");

  @TempDir Path folder;

  private record Node(
      String name, Engine engine, Function<String, String> run, Consumer<String> remove) {}

  @Test
  void anImageUsedYesterdaySurvivesUnusedForAWeekAlthoughCreatedAMonthAgo(Engines engines)
      throws Exception {
    DockerDaemon docker = engines.docker("lastuse");
    ContainerdDaemon containerd = engines.containerd("lastuse");
    for (String ref : IMAGES) {
      docker.importImage(ref, ref);
      ImageAging.age(docker, ref, NOW.minus(Duration.ofDays(30)));
    }
    Path archive = containerd.dir().resolve("lastuse.tar");
    List<String> save = new ArrayList<>(List.of("save", "-o", archive.toString()));
    save.addAll(IMAGES);
    docker.dockerOk(save.toArray(String[]::new));
    containerd.importArchive(archive);

    int[] n = {0};
    List<Node> nodes =
        List.of(
            new Node(
                "docker",
                new DockerEngine(docker.host(), ProtectedImages.none()),
                image -> docker.runContainer(image, "c" + n[0]++),
                id -> docker.dockerOk("rm", "-f", id)),
            new Node(
                "containerd",
                new ContainerdEngine(containerd.socket().toString(), ProtectedImages.none()),
                image -> containerd.runContainer("docker.io/library/" + image, "c" + n[0]++),
                containerd::removeContainer));
    for (Node node : nodes) {
      try (Engine engine = node.engine()) {
        Path nodeFolder = Files.createDirectories(folder.resolve(node.name()));
        MutableClock clock = new MutableClock(NOW.minus(Duration.ofDays(29)));
        LastUseTracker tracker = LastUseTracker.open(engine, nodeFolder, clock);
        tracker.refresh(); // the agent's first sight: 29 days ago
        useAt(node, tracker, clock, "eightdays:1", NOW.minus(Duration.ofDays(8)));
        useAt(node, tracker, clock, "yesterday:1", NOW.minus(Duration.ofDays(1)));
        clock.set(NOW);

        PruneFilters all = PruneFilters.ofCommandLine(true, List.of(), NOW, ZoneOffset.UTC);
        PruneFilters until =
            PruneFilters.ofCommandLine(true, List.of("until=168h"), NOW, ZoneId.of("UTC"));
        assertThat(
                untagged(
                    Pruner.plan(tracker.refresh(), engine, until, List.of(), PrunePolicy.NONE)))
            .as(node.name() + ": docker's until, by creation")
            .containsExactlyInAnyOrderElementsOf(IMAGES);

        PrunePolicy weekUnused =
            new PrunePolicy(null, Duration.ofHours(168), tracker.record(), clock.instant());
        List<PruneOp> ops = Pruner.plan(tracker.refresh(), engine, all, List.of(), weekUnused);
        List<String> dry = removed(Pruner.run(engine, ops, true));
        List<String> real = removed(Pruner.run(engine, ops, false));
        assertThat(real)
            .as(node.name())
            .containsExactlyInAnyOrder(
                "docker.io/library/eightdays:1", "docker.io/library/never:1");
        assertThat(dry).as(node.name() + " dry run").isEqualTo(real);

        tracker.refresh();
        // Another agent on the same folder (the next one after a restart) reads what was written.
        LastUseTracker next = LastUseTracker.open(engine, nodeFolder, clock);
        assertThat(next.damage()).isEmpty();
        assertThat(next.record().entries()).isEqualTo(tracker.record().entries());
        assertThat(next.record().entries()).hasSize(1);
      }
    }
  }

  /** At {@code at}, a container of {@code image} runs, then is removed, a reading after each. */
  private static void useAt(
      Node node, LastUseTracker tracker, MutableClock clock, String image, Instant at) {
    clock.set(at);
    String container = node.run().apply(image);
    tracker.refresh();
    node.remove().accept(container);
    tracker.refresh();
  }

  private static List<String> untagged(List<PruneOp> ops) {
    return ops.stream()
        .map(PruneOp::argument)
        .map(a -> a.replace("docker.io/library/", ""))
        .filter(a -> a.contains(":") && !a.startsWith("sha256:"))
        .sorted()
        .toList();
  }

  private static List<String> removed(List<ImageResult> results) {
    List<String> refs = new ArrayList<>();
    for (ImageResult r : results) {
      r.getUntagged().stream()
          .filter(u -> !u.contains("@"))
          .map(u -> u.contains("/") ? u : "docker.io/library/" + u)
          .forEach(refs::add);
    }
    return refs.stream().sorted().toList();
  }
}
