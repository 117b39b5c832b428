package io.kubermi.agent.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.cli.PruneCommandAccess;
import io.kubermi.testing.CurrentDockerCli;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import io.kubermi.testing.ImageAging;
import io.kubermi.testing.LocalRegistry;
import io.kubermi.testing.Sh;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kube-rmi prune} against the real {@code docker image prune -f} (the current CLI first on
 * PATH, talking to a 20.10 daemon), on twin daemons holding the same images: each round builds a
 * seeded store on daemon A (images with random labels, made in two batches a second apart for the
 * until filter, some aged by 30 days through an edited config; shared layers; extra tags in a
 * second repository; dangling images, untagged and digest-only; stopped and running containers, an
 * in-use image with two tags among them), saves it, loads the same archive into daemon B (so the
 * image IDs are equal), repeats the containers and digests there, then runs docker's prune on A and
 * kube-rmi's on B with the same random filters. Equal: the untagged/deleted lines as sets, the
 * reclaimed space, stderr and the exit code, and the image listing afterwards. Parent/child chains
 * cannot be twinned (docker commit gives each daemon its own IDs): {@link
 * #rulesPredictDockerPruneWithParentsAndChildren} holds kube-rmi's dry run to docker's real prune
 * on one daemon instead.
 *
 * <p>Bigger run: {@code mvn -pl agent verify -Dit.test=PruneDifferentialIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dkube-rmi.prune.rounds=200 -Dkube-rmi.prune.seed=7}
 */
@ExtendWith(EnginesExtension.class)
class PruneDifferentialIT {
  static final int ROUNDS = Integer.getInteger("kube-rmi.prune.rounds", 6);
  static final long SEED = Long.getLong("kube-rmi.prune.seed", 20261202L);
  private static final List<String> KEYS = List.of("team", "tier");
  private static final List<String> VALUES = List.of("a", "b");

  @Test
  void kubeRmiPrunesWhatDockerPrunes(Engines engines) throws Exception {
    DockerDaemon a = engines.docker("pa");
    DockerDaemon b = engines.docker("pb");
    LocalRegistry registry = engines.registry();
    Random rnd = new Random(SEED);
    int lines = 0;
    for (int round = 0; round < ROUNDS; round++) {
      a.reset();
      b.reset();
      Instant cut = build(a, b, registry, rnd, round);
      List<String> filters = filters(rnd, cut);
      Sh.Result docker = CurrentDockerCli.prune(a, filters);
      List<String> dryArgs = new ArrayList<>(filters);
      dryArgs.addAll(List.of("--dry-run", "--docker-host", b.host()));
      PruneCommandAccess.Output dry = PruneCommandAccess.run(dryArgs);
      List<String> args = new ArrayList<>(filters);
      args.addAll(List.of("--docker-host", b.host()));
      PruneCommandAccess.Output ours = PruneCommandAccess.run(args);
      String context = "round " + round + " filters " + filters + "\nstore:\n" + a.imageListing();
      assertThat(last(dry.out()))
          .as("the dry run's figure is what docker then freed, " + context)
          .isEqualTo(
              last(docker.out()).replace("Total reclaimed space", "Total reclaimable space"));
      assertThat(ours.exit()).as(context).isEqualTo(docker.exit());
      assertThat(ours.err().strip()).as(context).isEqualTo(docker.err().strip());
      assertThat(lineSet(ours.out())).as(context).isEqualTo(lineSet(docker.out()));
      assertThat(last(ours.out())).as(context).isEqualTo(last(docker.out()));
      assertThat(b.imageListing()).as(context).isEqualTo(a.imageListing());
      lines += lineSet(docker.out()).size();
    }
    System.out.printf(
        "PruneDifferentialIT: %d rounds, %d untagged/deleted lines equal to docker's%n",
        ROUNDS, lines);
    assertThat(lines).isPositive();
  }

  /**
   * On one daemon with parent/child chains (docker commit), tags in two repositories and containers
   * on parents and children: kube-rmi's dry run, made first, must list exactly the lines docker's
   * real prune then prints, and change nothing.
   */
  @Test
  void rulesPredictDockerPruneWithParentsAndChildren(Engines engines) {
    DockerDaemon a = engines.docker("pc");
    Random rnd = new Random(SEED + 1);
    int lines = 0;
    for (int round = 0; round < ROUNDS; round++) {
      a.reset();
      List<String> refs = new ArrayList<>();
      for (int i = 0; i < 3 + rnd.nextInt(3); i++) {
        String ref = "p" + round + "i" + i + ":1";
        a.importImage(ref, rnd.nextInt(3) == 0 ? "shared" + round : null);
        refs.add(ref);
      }
      for (int i = 0; i < 2 + rnd.nextInt(3); i++) {
        String parent = refs.get(rnd.nextInt(refs.size()));
        if (!a.hasImage(parent)) continue; // untagged by an earlier step
        String child = "c" + round + "i" + i + ":1";
        a.commitChild(parent, child);
        refs.add(child);
        if (rnd.nextBoolean()) a.dockerOk("rmi", "--no-prune", parent); // leaves it untagged
      }
      for (String ref : List.copyOf(refs)) {
        if (rnd.nextInt(4) == 0 && a.hasImage(ref)) a.dockerOk("tag", ref, "zz/" + ref);
      }
      for (int c = 0; c < 2; c++) {
        String ref = refs.get(rnd.nextInt(refs.size()));
        if (!a.hasImage(ref)) continue;
        if (rnd.nextBoolean()) a.runContainer(ref, "r" + round + "c" + c);
        else a.createContainer(ref, "r" + round + "c" + c);
      }
      List<String> filters = new ArrayList<>(rnd.nextBoolean() ? List.of("-a") : List.of());
      List<String> store = a.imageListing();
      List<String> args = new ArrayList<>(filters);
      args.addAll(List.of("--dry-run", "--docker-host", a.host()));
      PruneCommandAccess.Output predicted = PruneCommandAccess.run(args);
      assertThat(a.imageListing()).as("a dry run changes nothing").isEqualTo(store);
      Sh.Result docker = CurrentDockerCli.prune(a, filters);
      String context = "round " + round + " filters " + filters + "\nstore:\n" + store;
      assertThat(lineSet(predicted.out())).as(context).isEqualTo(lineSet(docker.out()));
      lines += lineSet(docker.out()).size();
    }
    System.out.printf(
        "PruneDifferentialIT (parents): %d rounds, %d lines predicted as docker printed them%n",
        ROUNDS, lines);
    assertThat(lines).isPositive();
  }

  /** The same store on both daemons; returns a time between the two batches of images. */
  private static Instant build(
      DockerDaemon a, DockerDaemon b, LocalRegistry registry, Random rnd, int round)
      throws InterruptedException {
    Instant cut = null;
    List<String> ids = new ArrayList<>();
    List<String> saved = new ArrayList<>();
    int images = 4 + rnd.nextInt(4);
    for (int i = 0; i < images; i++) {
      if (i == images / 2) {
        Thread.sleep(1100);
        cut = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Thread.sleep(1100);
      }
      List<String> labels = new ArrayList<>();
      for (String key : KEYS) {
        if (rnd.nextBoolean()) labels.add("LABEL " + key + "=" + VALUES.get(rnd.nextInt(2)));
      }
      String ref = "r" + round + "i" + i + ":v" + i;
      String id = a.importImage(ref, rnd.nextInt(3) == 0 ? "shared" + round : null, labels);
      if (rnd.nextInt(3) == 0) {
        id = ImageAging.age(a, ref, Instant.now().minus(Duration.ofDays(30)));
      }
      ids.add(id);
      if (rnd.nextInt(3) == 0) {
        saved.add(id); // saved by ID only: loaded without a tag, dangling
      } else {
        saved.add(ref);
        if (rnd.nextInt(3) == 0) {
          a.dockerOk("tag", ref, "other/r" + round + "i" + i + ":x");
          saved.add("other/r" + round + "i" + i + ":x");
        }
      }
    }
    Path archive = a.dir().resolve("prune-" + round + ".tar");
    List<String> save = new ArrayList<>(List.of("save", "-o", archive.toString()));
    save.addAll(saved);
    a.dockerOk(save.toArray(String[]::new));
    a.reset();
    a.dockerOk("load", "-q", "-i", archive.toString());
    b.dockerOk("load", "-q", "-i", archive.toString());
    if (rnd.nextBoolean()) {
      // A digest-only image: pulled by digest, its tag removed again; dangling to docker's prune.
      String id = ids.get(rnd.nextInt(ids.size()));
      String digest = registry.pushAndPullByDigest(a, id, "p" + round + ":1");
      // Untagging the repository's last tag drops its digests too; pulling again keeps the digest.
      a.dockerOk("rmi", registry.host() + "/p" + round + ":1");
      a.dockerOk("pull", digest);
      b.dockerOk("pull", digest);
    }
    for (int c = 0; c < 3; c++) {
      String id = ids.get(rnd.nextInt(ids.size()));
      String name = "c" + round + "-" + c;
      boolean running = rnd.nextBoolean();
      for (DockerDaemon d : List.of(a, b)) {
        if (running) d.runContainer(id, name);
        else d.createContainer(id, name);
      }
    }
    return cut;
  }

  private static List<String> filters(Random rnd, Instant cut) {
    List<String> f = new ArrayList<>();
    if (rnd.nextBoolean()) f.add("-a");
    switch (rnd.nextInt(4)) {
      case 0 -> f.addAll(List.of("--filter", "until=" + cut));
      case 1 -> f.addAll(List.of("--filter", "until=168h"));
      default -> {}
    }
    if (rnd.nextInt(3) == 0) f.addAll(List.of("--filter", "label=" + label(rnd)));
    if (rnd.nextInt(3) == 0) f.addAll(List.of("--filter", "label!=" + label(rnd)));
    if (rnd.nextInt(12) == 0) f.addAll(List.of("--filter", "foo=bar"));
    if (rnd.nextInt(12) == 0) f.addAll(List.of("--filter", "until=7days"));
    return f;
  }

  private static String label(Random rnd) {
    String key = KEYS.get(rnd.nextInt(KEYS.size()));
    return rnd.nextBoolean() ? key : key + "=" + VALUES.get(rnd.nextInt(2));
  }

  private static Set<String> lineSet(String out) {
    Set<String> s = new TreeSet<>();
    out.lines()
        .filter(l -> l.startsWith("untagged: ") || l.startsWith("deleted: "))
        .forEach(s::add);
    return s;
  }

  private static String last(String out) {
    List<String> l = out.strip().lines().toList();
    return l.isEmpty() ? "" : l.get(l.size() - 1);
  }
}
