package io.kubermi.agent.engine.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.cli.PruneCommandAccess;
import io.kubermi.testing.ContainerdDaemon;
import io.kubermi.testing.CurrentDockerCli;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import io.kubermi.testing.ImageAging;
import io.kubermi.testing.Sh;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The same seeded stores on a Docker daemon and a containerd (carried over by docker save, so the
 * image IDs are equal; dangling images get only the CRI's {@code sha256:<id>} name): labels, images
 * aged 30 days, tags in two repositories, stopped and running containers, and running containers
 * whose image lost its name. docker image prune -f on Docker, kube-rmi prune on containerd, with
 * the same filters: the images and tags left must be equal, the untagged lines and the deleted
 * image IDs too (containerd's layer lines aside), and no running container may stop.
 *
 * <p>Bigger run: {@code -Dit.test=ContainerdPruneIT -Dkube-rmi.prune.rounds=100}
 */
@ExtendWith(EnginesExtension.class)
class ContainerdPruneIT {
  static final int ROUNDS = Integer.getInteger("kube-rmi.prune.rounds", 6);
  static final long SEED = Long.getLong("kube-rmi.prune.seed", 20261202L);

  @Test
  void containerdPrunesWhatDockerPrunes(Engines engines) {
    DockerDaemon d = engines.docker("cprune");
    ContainerdDaemon c = engines.containerd("cprune");
    Random rnd = new Random(SEED);
    int compared = 0;
    for (int round = 0; round < ROUNDS; round++) {
      d.reset();
      c.reset();
      List<String> running = build(d, c, rnd, round);
      List<String> filters = new ArrayList<>();
      if (rnd.nextBoolean()) filters.add("-a");
      if (rnd.nextInt(3) == 0) filters.addAll(List.of("--filter", "until=168h"));
      if (rnd.nextInt(3) == 0) filters.addAll(List.of("--filter", "label=team"));
      if (rnd.nextInt(4) == 0) filters.addAll(List.of("--filter", "label!=team=a"));
      Set<String> imagesBefore = imageIds(d);
      Sh.Result docker = CurrentDockerCli.prune(d, filters);
      List<String> args = new ArrayList<>(filters);
      args.addAll(List.of("--containerd-address", c.socket().toString()));
      PruneCommandAccess.Output ours = PruneCommandAccess.run(args);
      String context = "round " + round + " filters " + filters + "\ndocker:\n" + docker.out();
      assertThat(ours.exit()).as(context).isEqualTo(docker.exit());
      assertThat(comparable(ours.out(), imagesBefore))
          .as(context + "\nours:\n" + ours.out())
          .isEqualTo(comparable(docker.out(), imagesBefore));
      assertThat(containerdStore(c)).as(context).isEqualTo(dockerStore(d));
      String tasks = c.ctrOk("tasks", "ls");
      for (String task : running) {
        assertThat(tasks).as(context).containsPattern(task + "\\s+\\d+\\s+RUNNING");
      }
      compared += dockerStore(d).size() + comparable(docker.out(), imagesBefore).size();
    }
    System.out.printf(
        "ContainerdPruneIT: %d rounds, %d images, tags and lines equal to Docker's%n",
        ROUNDS, compared);
  }

  /** Builds the round's store on both engines; returns the running containerd tasks. */
  private static List<String> build(DockerDaemon d, ContainerdDaemon c, Random rnd, int round) {
    List<String> ids = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    List<Boolean> dangling = new ArrayList<>();
    int images = 3 + rnd.nextInt(4);
    for (int i = 0; i < images; i++) {
      String ref = "q" + round + "i" + i + ":1";
      List<String> labels =
          rnd.nextBoolean() ? List.of("LABEL team=" + (rnd.nextBoolean() ? "a" : "b")) : List.of();
      String id = d.importImage(ref, rnd.nextInt(3) == 0 ? "shared" + round : null, labels);
      if (rnd.nextInt(3) == 0)
        id = ImageAging.age(d, ref, Instant.now().minus(Duration.ofDays(30)));
      ids.add(id);
      tags.add(ref);
      dangling.add(rnd.nextInt(3) == 0);
      if (!dangling.get(i) && rnd.nextInt(3) == 0) d.dockerOk("tag", ref, "other/" + ref);
    }
    // Docker reloads an archive holding the dangling images by ID (so without a tag); containerd
    // imports every image under its tag, gets the CRI's ID name, and loses the dangling ones' tags.
    List<String> all = new ArrayList<>();
    List<String> forDocker = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      all.add(tags.get(i));
      forDocker.add(dangling.get(i) ? ids.get(i) : tags.get(i));
      if (d.hasImage("other/" + tags.get(i))) {
        all.add("other/" + tags.get(i));
        forDocker.add("other/" + tags.get(i));
      }
    }
    Path toContainerd = save(d, c.dir().resolve("c-" + round + ".tar"), all);
    Path toDocker = save(d, c.dir().resolve("d-" + round + ".tar"), forDocker);
    d.reset();
    d.dockerOk("load", "-q", "-i", toDocker.toString());
    c.importArchive(toContainerd);
    for (int i = 0; i < images; i++) {
      c.tag(MirrorSetup.normalized(tags.get(i)), ids.get(i));
      if (dangling.get(i)) c.removeName(MirrorSetup.normalized(tags.get(i)));
    }
    List<String> running = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      int i = rnd.nextInt(images);
      String name = "k" + round + "-" + k;
      boolean run = rnd.nextBoolean();
      if (run) {
        d.runContainer(ids.get(i), name);
        running.add(c.runContainer(ids.get(i), name));
        if (!dangling.get(i) && rnd.nextBoolean()) {
          // The image loses its name while the container runs: docker keeps it as <none>.
          d.dockerOk("rmi", "-f", tags.get(i));
          c.removeName(MirrorSetup.normalized(tags.get(i)));
          dangling.set(i, true);
        }
      } else {
        d.createContainer(ids.get(i), name);
        c.createContainer(ids.get(i), name);
      }
    }
    return running;
  }

  private static Path save(DockerDaemon d, Path archive, List<String> refs) {
    List<String> cmd = new ArrayList<>(List.of("save", "-o", archive.toString()));
    cmd.addAll(refs);
    d.dockerOk(cmd.toArray(String[]::new));
    return archive;
  }

  /** Images and tags left on Docker: {@code <id>} and {@code <id> <normalized tag>}. */
  private static Set<String> dockerStore(DockerDaemon d) {
    Set<String> s = new TreeSet<>();
    for (String l : d.imageListing()) {
      String[] f = l.split(" ");
      s.add(f[0]);
      if (!f[1].startsWith("<none>")) s.add(f[0] + " " + MirrorSetup.normalized(f[1]));
    }
    return s;
  }

  /** The same from containerd's names: the ID names, and every tag by its target's image ID. */
  private static Set<String> containerdStore(ContainerdDaemon c) {
    Map<String, String> idByTarget = new HashMap<>();
    List<String> listing = c.imageListing();
    for (String l : listing) {
      String[] f = l.split(" ");
      if (f[0].startsWith("sha256:")) idByTarget.put(f[1], f[0]);
    }
    Set<String> s = new TreeSet<>();
    for (String l : listing) {
      String[] f = l.split(" ");
      String id = idByTarget.get(f[1]);
      s.add(id + (f[0].startsWith("sha256:") ? "" : " " + f[0]));
    }
    return s;
  }

  private static Set<String> imageIds(DockerDaemon d) {
    return Set.copyOf(d.imageListing().stream().map(l -> l.split(" ")[0]).toList());
  }

  /** Untagged lines, and deleted lines naming images (containerd's layer lines may differ). */
  private static Set<String> comparable(String out, Set<String> imagesBefore) {
    Set<String> s = new TreeSet<>();
    out.lines()
        .filter(
            l ->
                l.startsWith("untagged: ")
                    || (l.startsWith("deleted: ")
                        && imagesBefore.contains(l.substring("deleted: ".length()))))
        .forEach(s::add);
    return s;
  }
}
