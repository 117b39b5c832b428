package io.kubermi.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.cli.PruneCommandAccess;
import io.kubermi.testing.ContainerdDaemon;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import io.kubermi.testing.ImageAging;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A prune's keepNewest on real engines: ten builds of one repository, created a day apart, and one
 * image of another repository; {@code prune -a --keep-newest 3} removes the seven oldest builds and
 * keeps the other repository's only image, on Docker and on containerd (the same images, through
 * docker save), and its dry run names exactly what the real run then removes.
 */
@ExtendWith(EnginesExtension.class)
class KeepNewestIT {
  private static final Instant FIRST = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void keepNewestThreeOfTenBuildsKeepsTheThreeNewestOnDockerAndContainerd(Engines engines) {
    DockerDaemon docker = engines.docker("keep");
    ContainerdDaemon containerd = engines.containerd("keep");
    List<String> refs = new ArrayList<>();
    // Created out of order, so neither the import order nor the names decide what is newest.
    for (int day : List.of(4, 9, 1, 7, 10, 2, 5, 8, 3, 6)) {
      String ref = "app:build-" + day;
      docker.importImage(ref, ref);
      ImageAging.age(docker, ref, FIRST.plus(Duration.ofDays(day)));
      refs.add(ref);
    }
    docker.importImage("other:1", "other");
    ImageAging.age(docker, "other:1", FIRST);
    refs.add("other:1");
    Path archive = containerd.dir().resolve("keep.tar");
    List<String> save = new ArrayList<>(List.of("save", "-o", archive.toString()));
    save.addAll(refs);
    docker.dockerOk(save.toArray(String[]::new));
    containerd.importArchive(archive);

    List<String> removed =
        List.of(1, 2, 3, 4, 5, 6, 7).stream().map(d -> "app:build-" + d).toList();
    List<String> kept = List.of("app:build-10", "app:build-8", "app:build-9", "other:1");

    for (List<String> engine :
        List.of(
            List.of("-H", docker.host()),
            List.of("--containerd-address", containerd.socket().toString()))) {
      List<String> args = new ArrayList<>(List.of("-a", "--keep-newest", "3"));
      args.addAll(engine);
      List<String> dryArgs = new ArrayList<>(args);
      dryArgs.add("--dry-run");
      PruneCommandAccess.Output dry = PruneCommandAccess.run(dryArgs);
      PruneCommandAccess.Output real = PruneCommandAccess.run(args);
      assertThat(real.exit()).as(engine + real.err()).isZero();
      assertThat(untagged(real.out()))
          .as(engine.toString())
          .containsExactlyInAnyOrderElementsOf(removed);
      assertThat(untagged(dry.out())).as(engine + " dry run").isEqualTo(untagged(real.out()));
    }
    assertThat(docker.imageListing())
        .map(l -> l.split(" ")[1])
        .containsExactlyInAnyOrderElementsOf(kept);
    assertThat(containerd.imageListing())
        .map(l -> l.split(" ")[0])
        .filteredOn(name -> !name.startsWith("sha256:")) // the CRI's ID names of the kept images
        .map(name -> name.replace("docker.io/library/", ""))
        .containsExactlyInAnyOrderElementsOf(kept);
  }

  private static List<String> untagged(String out) {
    return out.lines()
        .filter(l -> l.startsWith("untagged: "))
        .map(l -> l.substring("untagged: ".length()))
        .sorted()
        .toList();
  }
}
