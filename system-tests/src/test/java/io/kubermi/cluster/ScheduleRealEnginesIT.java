package io.kubermi.cluster;

import static io.kubermi.cluster.ClusterFixtures.await;
import static io.kubermi.cluster.ClusterFixtures.phase;
import static io.kubermi.cluster.ClusterFixtures.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.containerd.ContainerdEngine;
import io.kubermi.agent.engine.docker.DockerEngine;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalSchedule;
import io.kubermi.api.ImageRemovalScheduleSpec;
import io.kubermi.api.ImageRemovalSpec;
import io.kubermi.api.ImageRemovalTemplate;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeResult;
import io.kubermi.api.PruneSpec;
import io.kubermi.api.RemovalPhase;
import io.kubermi.testing.ContainerdDaemon;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An ImageRemovalSchedule pruning dangling images every minute on a real Docker node and a real
 * containerd node, under the real operator and agents: its run for a scheduled time is created
 * once, runs to Succeeded with each engine's results, and a restarted operator creates no second
 * run for that time. The cluster's clock is shifted so that the first scheduled time comes 1.5 s
 * after the schedule is applied (the operator still waits for it by itself, woken at that time).
 */
@ExtendWith(EnginesExtension.class)
class ScheduleRealEnginesIT {
  @Test
  void aScheduledPruneRunsOnceOnADockerAndAContainerdNode(Engines engines) throws Exception {
    DockerDaemon d = engines.docker("sd");
    ContainerdDaemon c = engines.containerd("sc");
    String dangling = d.importImage("old:1", "old");
    String kept = d.importImage("x:1", "new");
    Path tar = c.dir().resolve("images.tar");
    d.dockerOk("save", "-o", tar.toString(), "old:1", "x:1");
    c.importArchive(tar);
    c.tag("docker.io/library/x:1", kept);
    c.tag("docker.io/library/old:1", dangling);
    c.removeName("docker.io/library/old:1"); // only the CRI's ID name is left: dangling
    Path byId = c.dir().resolve("dangling.tar");
    d.dockerOk("save", "-o", byId.toString(), dangling);
    d.dockerOk("rmi", "old:1");
    d.dockerOk("load", "-q", "-i", byId.toString()); // back without a tag: dangling
    assertThat(d.imageListing()).anySatisfy(l -> assertThat(l).startsWith(dangling + " <none>"));

    // The operator's clock is shifted so the next minute comes 1.5 s after the schedule is made;
    // the shift stays under a minute, so the minute before is not after the schedule's creation
    // (the API server's real time) and is not due. The scheduled minute must also be after the
    // creation in real time, which the API server records to the second: within 10 s of a minute's
    // end the test waits for the next one.
    Instant early = Instant.now();
    if (early.atZone(ZoneOffset.UTC).getSecond() >= 50) {
      Thread.sleep(
          Duration.between(early, early.truncatedTo(ChronoUnit.MINUTES).plusSeconds(60))
              .plusMillis(100)
              .toMillis());
    }
    Instant real = Instant.now();
    Instant nextMinute = real.truncatedTo(ChronoUnit.MINUTES).plusSeconds(60);
    Duration shift = Duration.between(real, nextMinute.minusMillis(1500));
    try (TestCluster cluster = new TestCluster(Clock.offset(Clock.systemUTC(), shift))) {
      cluster.addNode("docker-1", Map.of()).addNode("containerd-1", Map.of());
      Operator first = cluster.startOperator();
      cluster.startAgent("docker-1", new DockerEngine(d.host(), ProtectedImages.none()), 16);
      cluster.startAgent(
          "containerd-1", new ContainerdEngine(c.socket().toString(), ProtectedImages.none()), 16);
      cluster.client().resource(schedule()).create();

      List<ImageRemoval> runs = awaitRuns(cluster, 1, Duration.ofSeconds(30));
      String name = runs.get(0).getMetadata().getName();
      ImageRemoval done =
          await(cluster, name, Duration.ofSeconds(60), phase(RemovalPhase.Succeeded));
      assertThat(done.getMetadata().getLabels()).containsEntry(KubeRmi.LABEL_SCHEDULE, "prune");
      for (String node : List.of("docker-1", "containerd-1")) {
        NodeResult n = node(done, node);
        assertThat(n.getResults())
            .as(node)
            .singleElement()
            .satisfies(
                r -> {
                  assertThat(r.getImage()).isEqualTo(dangling);
                  assertThat(r.getDeleted()).startsWith(dangling);
                });
      }
      assertThat(d.imageListing()).singleElement().satisfies(l -> assertThat(l).startsWith(kept));
      assertThat(c.imageListing()).noneMatch(l -> l.startsWith(dangling));

      first.stop();
      cluster.startOperator();
      Thread.sleep(5000);
      assertThat(runs(cluster)).as("runs after the operator restarted").hasSize(1);
      ImageRemovalSchedule s =
          cluster.client().resources(ImageRemovalSchedule.class).withName("prune").get();
      assertThat(s.getStatus().getLastScheduleTime()).isEqualTo(nextMinute.toString());
      assertThat(s.getStatus().getActive()).isEmpty();
      assertThat(s.getStatus().getLastSuccessfulTime()).isNotNull();
      assertThat(s.getStatus().getNextScheduleTime())
          .isEqualTo(nextMinute.plusSeconds(60).toString());

      // Deleting the schedule deletes its run, and the run's children, through the API server's
      // garbage collector (two levels of controller ownerReferences).
      cluster.client().resource(s).delete();
      assertThat(poll(() -> runs(cluster), List::isEmpty, Duration.ofSeconds(30)))
          .as("runs left after the schedule's deletion")
          .isEmpty();
      assertThat(
              poll(
                  () -> cluster.client().resources(NodeImageRemoval.class).list().getItems(),
                  List::isEmpty,
                  Duration.ofSeconds(30)))
          .as("node removals left after the schedule's deletion")
          .isEmpty();
    }
  }

  private static ImageRemovalSchedule schedule() {
    ImageRemovalSchedule s = new ImageRemovalSchedule();
    s.setMetadata(new ObjectMetaBuilder().withName("prune").build());
    ImageRemovalScheduleSpec spec = new ImageRemovalScheduleSpec();
    spec.setSchedule("* * * * *");
    ImageRemovalTemplate template = new ImageRemovalTemplate();
    ImageRemovalSpec removal = new ImageRemovalSpec();
    removal.setPrune(new PruneSpec());
    template.setSpec(removal);
    spec.setTemplate(template);
    s.setSpec(spec);
    return s;
  }

  private static List<ImageRemoval> runs(TestCluster cluster) {
    return cluster
        .client()
        .resources(ImageRemoval.class)
        .withLabel(KubeRmi.LABEL_SCHEDULE, "prune")
        .list()
        .getItems();
  }

  private static List<ImageRemoval> awaitRuns(TestCluster cluster, int n, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<ImageRemoval> runs = runs(cluster);
      if (runs.size() >= n) return runs;
      Thread.sleep(100);
    }
    throw new AssertionError("no run of the schedule within " + timeout);
  }

  private static NodeResult node(ImageRemoval r, String name) {
    return r.getStatus().getNodes().stream()
        .filter(n -> n.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
