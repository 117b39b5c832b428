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
import io.kubermi.api.ImageBytesReport;
import io.kubermi.api.ImageBytesThreshold;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.prune.imageBytes on a Docker and a containerd node under the real API server, operator and
 * agents. Six images of their own layers; the agents' last-use records (from the engines' events,
 * the cluster's clock moved on) order them: img-3 and img-5 never used, then img-4, img-2, img-6
 * and img-1 used a day apart. Below the high mark a run selects nothing and says so; above it, the
 * run removes oldest-unused first and stops at the first image that brings the bytes to the low
 * mark: here the three oldest-unused. Its dry run names the same images, and each node reports the
 * bytes before and after, the engine's own count.
 */
@ExtendWith(EnginesExtension.class)
class ImageBytesThresholdRealEnginesIT {
  private static final List<String> USED_IN_ORDER = List.of("img-4", "img-2", "img-6", "img-1");

  @TempDir Path folders;

  @Test
  void aboveTheHighMarkTheOldestUnusedGoUntilTheLowMark(Engines engines) throws Exception {
    DockerDaemon d = engines.docker("ibd");
    ContainerdDaemon c = engines.containerd("ibc");
    List<String> refs = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      d.importImage("img-" + i + ":1", "img-" + i);
      refs.add("img-" + i + ":1");
    }
    Path tar = c.dir().resolve("images.tar");
    List<String> save = new ArrayList<>(List.of("save", "-o", tar.toString()));
    save.addAll(refs);
    d.dockerOk(save.toArray(String[]::new));
    c.importArchive(tar);
    Map<String, String> ids = new LinkedHashMap<>();
    for (String ref : refs) ids.put(d.imageId(ref), ref.replace(":1", ""));

    MutableClock clock = new MutableClock(Instant.now());
    Map<String, Engine> nodes = new LinkedHashMap<>();
    nodes.put("docker-1", new DockerEngine(d.host(), ProtectedImages.none()));
    nodes.put("containerd-1", new ContainerdEngine(c.socket().toString(), ProtectedImages.none()));
    List<LastUseTracker> trackers = new ArrayList<>();
    try (TestCluster cluster = new TestCluster(clock)) {
      cluster.addNode("docker-1", Map.of()).addNode("containerd-1", Map.of());
      cluster.startOperator();
      for (Map.Entry<String, Engine> node : nodes.entrySet()) {
        Path folder = Files.createDirectories(folders.resolve(node.getKey()));
        LastUseTracker tracker = LastUseTracker.open(node.getValue(), folder, clock).start();
        trackers.add(tracker);
        cluster.startAgent(node.getKey(), node.getValue(), 16).withLastUse(tracker);
      }
      for (LastUseTracker t : trackers) awaitRecord(t, r -> r.entries().size() >= 6);
      int n = 0;
      for (String image : USED_IN_ORDER) {
        clock.advance(Duration.ofDays(1));
        // What the imports and containers left unreferenced goes now, not in a background
        // collection between a reading of the bytes and the runs.
        c.collectGarbage();
        String id = idOf(ids, image);
        String container = d.runContainer(image + ":1", "u" + n);
        c.runContainer("docker.io/library/" + image + ":1", "u" + n++);
        for (LastUseTracker t : trackers) awaitRecord(t, r -> r.entry(id).running());
        d.dockerOk("rm", "-f", container);
        c.removeContainer("u" + (n - 1));
        for (LastUseTracker t : trackers) awaitRecord(t, r -> !r.entry(id).running());
      }
      clock.advance(Duration.ofDays(1));

      List<String> oldestUnused = new ArrayList<>(List.of(idOf(ids, "img-3"), idOf(ids, "img-5")));
      oldestUnused.sort(null);
      oldestUnused.add(idOf(ids, "img-4"));
      for (Map.Entry<String, Engine> node : nodes.entrySet()) {
        String name = node.getKey();
        long before = node.getValue().imageBytes();
        long perImage = before / 6;

        // Below the high mark (the node's bytes plus one image's): nothing selected.
        ImageRemoval calm =
            run(
                cluster,
                removal("calm-" + name, name, before + perImage, before - perImage, false));
        NodeResult quiet = calm.getStatus().getNodes().get(0);
        assertThat(quiet.getResults()).as(name).isEmpty();
        assertThat(quiet.getImageBytes().getAboveHigh()).isFalse();
        assertThat(quiet.getImageBytes().getBefore()).isEqualTo(before);
        assertThat(quiet.getImageBytes().getAfter()).isEqualTo(before);

        // Above it: down to two and a half images' bytes below what the node holds.
        long low = before - perImage * 5 / 2;
        NodeResult p =
            run(cluster, removal("dry-" + name, name, before - perImage / 2, low, true))
                .getStatus()
                .getNodes()
                .get(0);
        NodeResult r =
            run(cluster, removal("real-" + name, name, before - perImage / 2, low, false))
                .getStatus()
                .getNodes()
                .get(0);
        assertThat(p.getResults())
            .as(name + " dry run")
            .extracting(ImageResult::getImage)
            .isEqualTo(oldestUnused);
        assertThat(r.getResults())
            .as(name)
            .extracting(ImageResult::getImage)
            .isEqualTo(oldestUnused);
        ImageBytesReport report = r.getImageBytes();
        assertThat(report.getAboveHigh()).isTrue();
        assertThat(report.getBefore()).isEqualTo(before);
        assertThat(report.getAfter())
            .as(name + ": at or under the low mark")
            .isLessThanOrEqualTo(low);
        assertThat(report.getAfter()).isEqualTo(node.getValue().imageBytes());
        long firstTwo =
            p.getResults().subList(0, 2).stream().mapToLong(ImageResult::getReclaimableBytes).sum();
        assertThat(before - firstTwo)
            .as(name + ": one image fewer would not have reached the low mark")
            .isGreaterThan(low);
        assertThat(p.getImageBytes().getAfter())
            .as(name + ": the dry run's after is what the real run reached")
            .isEqualTo(report.getAfter());
        System.out.printf(
            "ImageBytesThresholdRealEnginesIT %s: before %d bytes, high %d, low %d; removed %s"
                + " (oldest-unused first); after %d bytes%n",
            name,
            before,
            before - perImage / 2,
            low,
            r.getResults().stream().map(i -> ids.get(i.getImage())).toList(),
            report.getAfter());
      }
    } finally {
      trackers.forEach(LastUseTracker::close);
    }
  }

  private static ImageRemoval run(TestCluster cluster, ImageRemoval r) {
    cluster.client().resource(r).create();
    return await(
        cluster, r.getMetadata().getName(), Duration.ofSeconds(60), phase(RemovalPhase.Succeeded));
  }

  /** A prune -a of one node's images with the thresholds given in bytes. */
  private static ImageRemoval removal(
      String name, String node, long high, long low, boolean dryRun) {
    ImageRemoval r = new ImageRemoval();
    r.getMetadata().setName(name);
    ImageRemovalSpec spec = new ImageRemovalSpec();
    spec.setNodeNames(List.of(node));
    spec.setDryRun(dryRun);
    PruneSpec prune = new PruneSpec();
    prune.setAll(true);
    ImageBytesThreshold t = new ImageBytesThreshold();
    t.setHigh(Long.toString(high));
    t.setLow(Long.toString(low));
    prune.setImageBytes(t);
    spec.setPrune(prune);
    r.setSpec(spec);
    return r;
  }

  private static String idOf(Map<String, String> ids, String image) {
    return ids.entrySet().stream()
        .filter(e -> e.getValue().equals(image))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow();
  }

  private static void awaitRecord(LastUseTracker tracker, Predicate<LastUseRecord> ready) {
    LastUseRecord r = poll(tracker::record, ready, Duration.ofSeconds(20));
    assertThat(ready.test(r)).as("the record after 20 s: " + r.entries()).isTrue();
  }
}
