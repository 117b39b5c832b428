package io.kubermi.agent.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.RandomRmiArguments;
import io.kubermi.agent.engine.RemovalOptions;
import io.kubermi.agent.engine.rules.RmiPlanner;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredContainer;
import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.api.ImageResult;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import io.kubermi.testing.LocalRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The neutral rules must predict exactly what a real Docker daemon does. A seeded walk through
 * random states (shared and separate repositories, digest references from a local registry,
 * parent/child chains, running and stopped containers) and random rmi argument lists (tags, bare
 * names, digests, full IDs, ID prefixes of random length, missing names; with and without force and
 * no-prune). At each step the planner's prediction from a snapshot must equal the daemon's answer,
 * the planner's resulting store must equal the daemon's, and the bytes the engine counts as freed
 * must equal the drop of the daemon's own LayersSize (see the exception in the loop). Before each
 * step's removal the same arguments run as a dry run, which must answer the same and leave the
 * whole store (names, images, layers on disk) exactly as it was.
 *
 * <p>Bigger run: {@code mvn -pl agent verify -Dit.test=DockerDifferentialIT
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtest=none -Dkube-rmi.differential.steps=3000
 * -Dkube-rmi.differential.seed=42}
 */
@ExtendWith(EnginesExtension.class)
class DockerDifferentialIT {
  static final int STEPS = Integer.getInteger("kube-rmi.differential.steps", 200);
  static final long SEED = Long.getLong("kube-rmi.differential.seed", 20261126L);

  @Test
  void plannerPredictsTheDaemon(Engines engines) {
    DockerDaemon docker = engines.docker("diff");
    LocalRegistry registry = engines.registry();
    Random rnd = new Random(SEED);
    int argumentsChecked = 0;
    long bytesFreed = 0;
    long bytesChecked = 0;
    int[] outcomes = new int[5];
    try (DockerEngine engine = new DockerEngine(docker.host(), ProtectedImages.none())) {
      for (int step = 0; step < STEPS; step++) {
        World world = new World(docker, registry, rnd, step);
        world.mutate();
        ImageStoreModel before =
            DockerSnapshot.read(engine.api(), engine.pathVersion(), true, null, new ChainCache());
        List<String> args = world.arguments(before);
        RemovalOptions options =
            new RemovalOptions(rnd.nextInt(10) < 4, rnd.nextInt(4) == 0, List.of(), false);

        ImageStoreModel predictedStore = before.copy();
        RmiPlanner planner = new RmiPlanner(predictedStore);
        List<ImageResult> predicted =
            args.stream()
                .map(a -> planner.remove(a, options.force(), !options.noPrune()).toResult(a))
                .toList();
        long layersBefore = layersSize(engine);
        long reclaimedBefore = engine.reclaimedBytes();
        List<String> storeBefore = WholeStore.of(engine, docker);
        List<ImageResult> dryRun = engine.remove(args, options.asDryRun());
        assertThat(WholeStore.of(engine, docker))
            .as("store after a dry run of %s", args)
            .isEqualTo(storeBefore);
        List<ImageResult> actual = engine.remove(args, options);
        ImageStoreModel after =
            DockerSnapshot.read(engine.api(), engine.pathVersion(), false, null, new ChainCache());
        long freed = layersBefore - layersSize(engine);
        bytesFreed += freed;

        String context =
            "seed "
                + SEED
                + " step "
                + step
                + " args "
                + args
                + " force="
                + options.force()
                + " noPrune="
                + options.noPrune()
                + "\nstate before:\n"
                + dump(before);
        assertThat(actual).as(context).isEqualTo(predicted);
        assertThat(dryRun.stream().map(ImageResult::answer).toList())
            .as("dry run, " + context)
            .isEqualTo(actual);
        assertThat(summary(after)).as("store after, " + context).isEqualTo(summary(predictedStore));
        // LayersSize counts the layers images use. An image deleted by force while a stopped
        // container uses it leaves its layers on disk for the container: they leave LayersSize
        // but are not freed (Docker prints no layer line), so the count may only be lower then.
        long counted = engine.reclaimedBytes() - reclaimedBefore;
        assertThat(
                dryRun.stream()
                    .map(ImageResult::getReclaimableBytes)
                    .mapToLong(b -> b == null ? 0 : b)
                    .sum())
            .as("what the dry run said each image would free, summed; " + context)
            .isEqualTo(counted);
        boolean heldByContainer =
            before.containers().stream().anyMatch(c -> after.image(c.imageId()) == null);
        if (heldByContainer) {
          assertThat(counted)
              .as("bytes freed, at most LayersSize's drop; results " + actual + ", " + context)
              .isLessThanOrEqualTo(freed);
        } else {
          assertThat(counted)
              .as("bytes freed = LayersSize's drop; results " + actual + ", " + context)
              .isEqualTo(freed);
          bytesChecked += freed;
        }
        argumentsChecked += args.size();
        actual.forEach(r -> outcomes[r.getOutcome().ordinal()]++);
      }
    }
    System.out.printf(
        "differential: %d steps, %d arguments, outcomes Removed=%d NotFound=%d Conflict=%d Protected=%d Error=%d, "
            + "LayersSize went down by %d bytes, %d of them in steps compared exactly (seed %d)%n",
        STEPS,
        argumentsChecked,
        outcomes[0],
        outcomes[1],
        outcomes[2],
        outcomes[3],
        outcomes[4],
        bytesFreed,
        bytesChecked,
        SEED);
    // A walk that never exercised conflicts or not-found would prove little.
    assertThat(outcomes[0]).isPositive();
    assertThat(outcomes[1]).isPositive();
    assertThat(outcomes[2]).isPositive();
    assertThat(bytesChecked).isPositive();
  }

  /** The daemon's own sum of its layers' sizes ({@code docker system df}). */
  static long layersSize(DockerEngine engine) {
    return engine
        .api()
        .get("/v" + engine.pathVersion() + "/system/df")
        .body()
        .path("LayersSize")
        .asLong();
  }

  /** Images with their references, and containers: what must agree after a step. */
  static Set<String> summary(ImageStoreModel m) {
    Set<String> s = new TreeSet<>();
    for (StoredImage i : m.images()) {
      s.add(i.id() + " parent=" + i.parentId() + " refs=" + m.referencesOf(i.id()));
    }
    return s;
  }

  static String dump(ImageStoreModel m) {
    StringBuilder b = new StringBuilder();
    for (StoredImage i : m.images()) {
      b.append("  ")
          .append(i.id(), 0, 19)
          .append(" parent=")
          .append(i.parentId() == null ? "-" : i.parentId().substring(0, 19))
          .append(" layers=")
          .append(i.chainIds().stream().map(c -> c.substring(7, 19)).toList())
          .append(" refs=")
          .append(m.referencesOf(i.id()))
          .append('\n');
    }
    for (StoredContainer c : m.containers()) {
      b.append("  container ")
          .append(c.id(), 0, 12)
          .append(" image=")
          .append(c.imageId(), 0, 19)
          .append(c.running() ? " running" : " stopped")
          .append('\n');
    }
    return b.toString();
  }

  /** Random changes to the daemon's state, and random arguments against it. */
  private static final class World {
    private final DockerDaemon docker;
    private final LocalRegistry registry;
    private final Random rnd;
    private final int step;

    World(DockerDaemon docker, LocalRegistry registry, Random rnd, int step) {
      this.docker = docker;
      this.registry = registry;
      this.rnd = rnd;
      this.step = step;
    }

    void mutate() {
      List<String> ids = docker.imageIds(true);
      dropOrphanContainers(ids);
      while (ids.size() < 5) {
        String content = rnd.nextInt(3) == 0 ? "shared-" + rnd.nextInt(2) : null;
        ids.add(docker.importImage(ref(), content));
      }
      if (rnd.nextInt(4) == 0) {
        ids.add(docker.commitChild(pick(ids), ref()));
      }
      for (int i = rnd.nextInt(3); i > 0; i--) {
        docker.dockerOk("tag", pick(ids), ref());
      }
      if (rnd.nextInt(12) == 0) {
        String image = pick(ids);
        registry.pushAndPullByDigest(docker, image, "test/busybox:" + step);
      }
      List<DockerDaemon.Container> containers = docker.containers();
      Set<String> used = new HashSet<>();
      containers.forEach(c -> used.add(c.imageId()));
      if (containers.size() < 4 && rnd.nextInt(3) == 0) {
        String image = pick(ids);
        if (!used.contains(image)) {
          String name = "c" + step;
          if (rnd.nextBoolean()) docker.runContainer(image, name);
          else docker.createContainer(image, name);
        }
      }
      if (containers.size() > 2 && rnd.nextInt(4) == 0) {
        docker.dockerOk("rm", "-f", containers.get(rnd.nextInt(containers.size())).id());
      }
    }

    /**
     * A container on a deleted image holds layers no snapshot can name, and with more than one
     * container per image docker names an arbitrary one in its messages: remove those.
     */
    private void dropOrphanContainers(List<String> ids) {
      Set<String> seen = new HashSet<>();
      for (DockerDaemon.Container c : docker.containers()) {
        if (!ids.contains(c.imageId()) || !seen.add(c.imageId())) {
          docker.dockerOk("rm", "-f", c.id());
        }
      }
    }

    List<String> arguments(ImageStoreModel state) {
      return RandomRmiArguments.of(state, rnd);
    }

    private String ref() {
      return RandomRmiArguments.repoTag(rnd);
    }

    private <T> T pick(List<T> list) {
      return RandomRmiArguments.pick(list, rnd);
    }
  }
}
