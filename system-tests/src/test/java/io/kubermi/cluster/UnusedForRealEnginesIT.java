package io.kubermi.cluster;

import static io.kubermi.cluster.ClusterFixtures.await;
import static io.kubermi.cluster.ClusterFixtures.phase;
import static io.kubermi.cluster.ClusterFixtures.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.containerd.ContainerdEngine;
import io.kubermi.agent.engine.docker.DockerEngine;
import io.kubermi.agent.lastuse.LastUseRecord;
import io.kubermi.agent.lastuse.LastUseTracker;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalSpec;
import io.kubermi.api.ImageResult;
import io.kubermi.api.NodeResult;
import io.kubermi.api.PruneSpec;
import io.kubermi.api.RemovalPhase;
import io.kubermi.testing.ContainerdDaemon;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import io.kubermi.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.prune.unusedFor from kubectl's side to the engines: through the real API server (the CRD's
 * schema keeps the field), the operator (which copies it into each node's NodeImageRemoval) and the
 * agents of a Docker and a containerd node, each following its engine's events into a last-use
 * record in its node folder. The cluster's clock is moved on: all images first seen at its start,
 * {@code used:1} run by a container ten days later, the prune two days after that. {@code
 * unusedFor: 168h} removes {@code idle:1} (unused for twelve days) and keeps {@code used:1}.
 */
@ExtendWith(EnginesExtension.class)
class UnusedForRealEnginesIT {
  @TempDir Path folders;

  @Test
  void unusedForReachesEachNodeAndKeepsWhatAContainerUsedRecently(Engines engines)
      throws Exception {
    DockerDaemon d = engines.docker("ufd");
    ContainerdDaemon c = engines.containerd("ufc");
    d.importImage("used:1", "used");
    d.importImage("idle:1", "idle");
    Path tar = c.dir().resolve("images.tar");
    d.dockerOk("save", "-o", tar.toString(), "used:1", "idle:1");
    c.importArchive(tar);
    String used = d.imageId("used:1");

    MutableClock clock = new MutableClock(Instant.now());
    List<LastUseTracker> trackers = new ArrayList<>();
    try (TestCluster cluster = new TestCluster(clock)) {
      cluster.addNode("docker-1", Map.of()).addNode("containerd-1", Map.of());
      cluster.startOperator();
      Engine docker = new DockerEngine(d.host(), ProtectedImages.none());
      Engine containerd = new ContainerdEngine(c.socket().toString(), ProtectedImages.none());
      for (Map.Entry<String, Engine> node :
          Map.of("docker-1", docker, "containerd-1", containerd).entrySet()) {
        Path folder = Files.createDirectories(folders.resolve(node.getKey()));
        LastUseTracker tracker = LastUseTracker.open(node.getValue(), folder, clock).start();
        trackers.add(tracker);
        cluster.startAgent(node.getKey(), node.getValue(), 16).withLastUse(tracker);
      }
      for (LastUseTracker t : trackers) awaitRecord(t, r -> r.entry(used) != null);

      clock.advance(Duration.ofDays(10));
      String dockerContainer = d.runContainer("used:1", "uses");
      c.runContainer("docker.io/library/used:1", "uses");
      for (LastUseTracker t : trackers) awaitRecord(t, r -> r.entry(used).running());
      d.dockerOk("rm", "-f", dockerContainer);
      c.removeContainer("uses");
      for (LastUseTracker t : trackers) awaitRecord(t, r -> !r.entry(used).running());
      clock.advance(Duration.ofDays(2));

      cluster.client().resource(prune()).create();
      ImageRemoval done =
          await(cluster, "unused-week", Duration.ofSeconds(60), phase(RemovalPhase.Succeeded));
      for (NodeResult n : done.getStatus().getNodes()) {
        assertThat(n.getResults())
            .as(n.getName())
            .singleElement()
            .satisfies(r -> assertThat(untagged(r)).containsExactly("idle:1"));
      }
      assertThat(d.hasImage("used:1")).isTrue();
      assertThat(d.hasImage("idle:1")).isFalse();
      assertThat(c.imageListing())
          .anyMatch(l -> l.startsWith("docker.io/library/used:1 "))
          .noneMatch(l -> l.startsWith("docker.io/library/idle:1 "));
    } finally {
      trackers.forEach(LastUseTracker::close);
    }
  }

  private static ImageRemoval prune() {
    ImageRemoval r = new ImageRemoval();
    r.getMetadata().setName("unused-week");
    ImageRemovalSpec spec = new ImageRemovalSpec();
    PruneSpec prune = new PruneSpec();
    prune.setAll(true);
    prune.setUnusedFor("168h");
    spec.setPrune(prune);
    r.setSpec(spec);
    return r;
  }

  private static List<String> untagged(ImageResult r) {
    return r.getUntagged().stream()
        .map(u -> u.replace("docker.io/library/", ""))
        .filter(u -> !u.contains("@"))
        .toList();
  }

  /** Waits until the tracker's record, kept from the engine's events, satisfies {@code ready}. */
  private static void awaitRecord(LastUseTracker tracker, Predicate<LastUseRecord> ready) {
    LastUseRecord r = poll(tracker::record, ready, Duration.ofSeconds(20));
    assertThat(ready.test(r)).as("the record after 20 s: " + r.entries()).isTrue();
  }
}
