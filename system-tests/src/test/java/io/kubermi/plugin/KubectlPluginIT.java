package io.kubermi.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.docker.DockerEngine;
import io.kubermi.api.ImageRemoval;
import io.kubermi.cluster.ClusterFixtures;
import io.kubermi.cluster.TestCluster;
import io.kubermi.controlplane.ChartIdentities;
import io.kubermi.controlplane.ControlPlane;
import io.kubermi.controlplane.UpstreamBinaries;
import io.kubermi.faults.ImageArchive;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import io.kubermi.testing.Sh;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl rmi} and {@code kubectl image-prune}, found by the real kubectl on PATH, run by a
 * person holding the chart's editor role against the real API server, with the operator and an
 * agent per node on real Docker daemons. Each node's lines are compared with what the docker CLI
 * prints for the same command on a daemon holding the same images (loaded from one archive, so
 * image and layer IDs are the same), and the exit code with docker's worst.
 */
@ExtendWith(EnginesExtension.class)
class KubectlPluginIT {
  private static ChartIdentities identities;

  @BeforeAll
  static void grant() {
    identities = ChartIdentities.apply(ControlPlane.shared());
    identities.grantUser("editor");
  }

  @AfterAll
  static void revoke() {
    identities.revokeUser("editor");
  }

  /** Node a: three images of two layers. Node b: the same, plug:0 tagged twice, plug:2 gone. */
  private static void setUp(DockerDaemon a, DockerDaemon b, ImageArchive.Archive archive) {
    for (DockerDaemon d : List.of(a, b)) {
      d.reset();
      d.dockerOk("load", "-q", "-i", archive.tar().toString());
    }
    b.dockerOk("tag", "plug:0", "other:0");
    b.dockerOk("rmi", "plug:2");
  }

  @Test
  void kubectlRmiPrintsEachNodesDockerLinesAndExitsAsDocker(Engines engines) throws Exception {
    DockerDaemon a = engines.docker("plug-a");
    DockerDaemon b = engines.docker("plug-b");
    ImageArchive.Archive archive = ImageArchive.write(a.dir().path(), "plug", 3, 2);
    String shortId = archive.idsByName().get("plug:0").substring("sha256:".length(), 19);
    List<String> images = List.of("plug:1", shortId, "plug:2");
    KubectlPlugin kubectl = KubectlPlugin.asUser(ControlPlane.shared());

    setUp(a, b, archive);
    Sh.Result plugin;
    try (TestCluster cluster = new TestCluster()) {
      cluster.addNode("plug-a", Map.of("pool", "plug")).addNode("plug-b", Map.of("pool", "plug"));
      cluster.addNode("plug-other", Map.of("pool", "other"));
      cluster.startOperator();
      cluster.startAgent("plug-a", new DockerEngine(a.host(), ProtectedImages.none()));
      cluster.startAgent("plug-b", new DockerEngine(b.host(), ProtectedImages.none()));
      List<String> args = new ArrayList<>(List.of("rmi", "-l", "pool=plug"));
      args.addAll(images);
      plugin = kubectl.run(args.toArray(String[]::new));
    }
    System.out.println("KubectlPluginIT: kubectl rmi\n" + plugin.out() + plugin.err());

    setUp(a, b, archive);
    Sh.Result dockerA = dockerRmi(a, images);
    Sh.Result dockerB = dockerRmi(b, images);
    assertThat(dockerA.exit()).isZero();
    assertThat(dockerB.exit()).isEqualTo(1);

    var out = KubectlPlugin.blocks(plugin.out());
    var err = KubectlPlugin.blocks(plugin.err());
    assertThat(out.keySet()).containsExactly("plug-a", "plug-b", "");
    assertThat(out.get("plug-a")).isEqualTo(dockerA.out().lines().toList()).hasSize(12);
    assertThat(out.get("plug-b")).isEqualTo(dockerB.out().lines().toList()).isNotEmpty();
    assertThat(err.get("plug-a")).isNull();
    assertThat(err.get("plug-b")).isEqualTo(dockerB.err().lines().toList()).hasSize(2);
    assertThat(out.get("").get(0))
        .startsWith("imageremoval/rmi-")
        .endsWith(": Failed (1/2 nodes succeeded)");
    assertThat(plugin.exit()).as("docker's worst exit").isEqualTo(1);
  }

  @Test
  void kubectlImagePrunesDryRunSaysWhatTheRealRunFreesOnEachNode(Engines engines) throws Exception {
    DockerDaemon a = engines.docker("prune-a");
    DockerDaemon b = engines.docker("prune-b");
    ImageArchive.Archive archive = ImageArchive.write(a.dir().path(), "plug", 3, 2);
    KubectlPlugin kubectl = KubectlPlugin.asUser(ControlPlane.shared());

    setUp(a, b, archive);
    Sh.Result dry;
    Sh.Result real;
    try (TestCluster cluster = new TestCluster()) {
      cluster.addNode("prune-a", Map.of()).addNode("prune-b", Map.of());
      cluster.startOperator();
      cluster.startAgent("prune-a", new DockerEngine(a.host(), ProtectedImages.none()));
      cluster.startAgent("prune-b", new DockerEngine(b.host(), ProtectedImages.none()));
      dry = kubectl.run("image-prune", "-a", "--dry-run", "--nodes", "prune-a,prune-b");
      real = kubectl.run("image-prune", "-a", "--nodes=prune-a,prune-b");
    }
    System.out.println("KubectlPluginIT: kubectl image-prune\n" + dry.out() + real.out());
    assertThat(dry.exit()).as(dry.err()).isZero();
    assertThat(real.exit()).as(real.err()).isZero();
    assertThat(a.imageListing()).isEmpty();

    setUp(a, b, archive);
    var dryOut = KubectlPlugin.blocks(dry.out());
    var realOut = KubectlPlugin.blocks(real.out());
    for (DockerDaemon d : List.of(a, b)) {
      String node = d == a ? "prune-a" : "prune-b";
      Sh.Result docker = currentDocker(d, List.of("image", "prune", "-a", "-f"));
      List<String> expected = docker.out().lines().toList();
      // docker lists what it deleted in no fixed order: the same lines, and the same total.
      assertThat(realOut.get(node)).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(last(realOut.get(node))).isEqualTo(last(expected)).startsWith("Total reclaimed");
      assertThat(last(dryOut.get(node)))
          .isEqualTo(last(expected).replace("reclaimed", "reclaimable"));
    }
    assertThat(last(realOut.get("")))
        .contains(": Succeeded (2/2 nodes succeeded), total reclaimed space: ");
  }

  @Test
  void helpUsageErrorsNoWaitAndJsonAreWhatTheHelpSays(Engines engines) throws Exception {
    DockerDaemon d = engines.docker("plug-json");
    d.importImage("plugjson:1");
    KubectlPlugin kubectl = KubectlPlugin.asUser(ControlPlane.shared());
    try (TestCluster cluster = new TestCluster()) {
      cluster.addNode("plug-json", Map.of());
      cluster.startOperator();
      cluster.startAgent("plug-json", new DockerEngine(d.host(), ProtectedImages.none()));

      for (String plugin : List.of("rmi", "image-prune")) {
        Sh.Result help = kubectl.run(plugin, "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("Usage: kubectl " + plugin).contains("--dry-run");
      }
      Sh.Result noImage = kubectl.run("rmi");
      assertThat(noImage.exit()).isEqualTo(2);
      assertThat(noImage.err()).contains("Missing required parameter: 'IMAGE'");
      Sh.Result badSelector = kubectl.run("rmi", "-l", "a=(b", "x:1");
      assertThat(badSelector.exit()).isEqualTo(2);
      assertThat(badSelector.err()).contains("-l/--selector: invalid value \"a=(b\"");
      Sh.Result badFilter = kubectl.run("image-prune", "--filter", "dangling=true");
      assertThat(badFilter.exit()).isEqualTo(2);
      assertThat(badFilter.err()).contains("--filter: invalid filter \"dangling=true\"");
      assertThat(cluster.client().resources(ImageRemoval.class).list().getItems())
          .as("nothing created by a refused command")
          .isEmpty();

      Sh.Result noWait = kubectl.run("rmi", "--no-wait", "--name", "plug-nowait", "nothere:1");
      assertThat(noWait.out().strip()).isEqualTo("imageremoval.kube-rmi.io/plug-nowait created");
      assertThat(noWait.exit()).isZero();

      Sh.Result json = kubectl.run("rmi", "-o", "json", "plugjson:1");
      assertThat(json.exit()).as(json.err()).isZero();
      JsonNode object = new ObjectMapper().readTree(json.out());
      assertThat(object.get("kind").asText()).isEqualTo("ImageRemoval");
      assertThat(object.at("/status/phase").asText()).isEqualTo("Succeeded");
      assertThat(object.at("/status/nodes/0/results/0/untagged/0").asText())
          .isEqualTo("plugjson:1");
      assertThat(d.hasImage("plugjson:1")).isFalse();
    }
  }

  /**
   * The plugins as a user gets them: packed by plugins/package.sh, installed by the real krew from
   * their manifests (which checks the archive's checksum), run by kubectl from krew's folder alone.
   */
  @Test
  void installedByKrewFromTheirManifestsThePluginsRun(@TempDir Path dir) throws Exception {
    Sh.Result packed =
        Sh.run(
            List.of(
                KubectlPlugin.ROOT.resolve("plugins/package.sh").toString(),
                "v0.1.0",
                "file://" + dir.resolve("unused.tar.gz"),
                dir.toString()),
            Map.of(),
            null,
            Duration.ofMinutes(2));
    assertThat(packed.exit()).as(packed.err()).isZero();
    Path archive = Path.of(packed.out().strip());
    Path krewRoot = dir.resolve("krew");
    for (String plugin : List.of("rmi", "image-prune")) {
      Sh.Result installed =
          Sh.run(
              List.of(
                  UpstreamBinaries.require().resolve("krew").toString(),
                  "install",
                  "--manifest=" + dir.resolve(plugin + ".yaml"),
                  "--archive=" + archive),
              Map.of("KREW_ROOT", krewRoot.toString(), "HOME", dir.toString()),
              null,
              Duration.ofMinutes(2));
      assertThat(installed.exit()).as(installed.out() + installed.err()).isZero();
      assertThat(installed.err() + installed.out()).contains("Installed plugin: " + plugin);
    }
    KubectlPlugin kubectl =
        KubectlPlugin.asUser(ControlPlane.shared()).withPluginsFrom(krewRoot.resolve("bin"));
    try (TestCluster cluster = new TestCluster()) {
      cluster.addNode("krew-a", Map.of());
      cluster.startOperator();
      cluster.startAgent("krew-a", ClusterFixtures.docsNode(false));
      Sh.Result rmi = kubectl.run("rmi", "--dry-run", "test1:latest");
      assertThat(rmi.exit()).as(rmi.err()).isZero();
      assertThat(rmi.out())
          .startsWith("node krew-a:\nUntagged: test1:latest\nTotal reclaimable space: 0B\n")
          .contains(": Succeeded (1/1 nodes succeeded), total reclaimable space: 0B");
      Sh.Result prune = kubectl.run("image-prune", "--dry-run");
      assertThat(prune.exit()).as(prune.err()).isZero();
      assertThat(prune.out()).startsWith("node krew-a:\n").contains("Total reclaimable space: ");
    }
  }

  private static Sh.Result dockerRmi(DockerDaemon d, List<String> images) {
    List<String> args = new ArrayList<>(List.of("rmi"));
    args.addAll(images);
    return currentDocker(d, args);
  }

  /**
   * The current docker CLI (the first on PATH, not the daemon's own package's): the wording users
   * see today, which the plugins print.
   */
  private static Sh.Result currentDocker(DockerDaemon d, List<String> args) {
    List<String> command = new ArrayList<>(List.of("docker", "-H", d.host()));
    command.addAll(args);
    return Sh.run(
        command,
        Map.of("DOCKER_CONFIG", d.dir().resolve("current-cli").toString()),
        null,
        Duration.ofMinutes(1));
  }

  private static String last(List<String> lines) {
    return lines.get(lines.size() - 1);
  }
}
