package io.kubermi.agent.engine.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.testing.ContainerdDaemon;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rules' read of the store takes what an image is from containerd's garbage-collection labels
 * ({@link GcLabels}) instead of reading its manifest and config; on the same store it must give
 * what reading every blob gives, less the creation time and labels, and an image without its labels
 * is read from its blobs.
 */
@ExtendWith(EnginesExtension.class)
class ContainerdLabelReadIT {
  private static final String SNAPSHOTTER = ContainerdEngine.DEFAULT_SNAPSHOTTER;

  @Test
  void theGarbageCollectionLabelsGiveWhatTheBlobsGive(Engines engines) {
    Fixture f = store(engines, "glr");
    Reads r = reads(f.containerd());
    ContainerdState byLabels = r.byLabels();
    ContainerdState byBlobs = r.byBlobs();
    assertThat(byBlobs.model().images()).hasSize(5);
    assertThat(byBlobs.model().images()).allMatch(i -> i.created() != null);
    assertThat(byBlobs.model().image(f.docker().imageId("child:1")).chainIds()).hasSize(2);
    assertThat(byLabels.model().images())
        .as("no config read: neither creation time nor labels")
        .allMatch(i -> i.created() == null && i.labels().isEmpty());
    assertThat(rulesView(byLabels)).isEqualTo(rulesView(byBlobs));
    assertThat(byLabels.namesByImage()).isEqualTo(byBlobs.namesByImage());
    assertThat(byLabels.blobsByImage()).isEqualTo(byBlobs.blobsByImage());
    assertThat(byLabels.singleManifestBlobs()).isEqualTo(byBlobs.singleManifestBlobs());
  }

  @Test
  void anImageWithoutItsLabelsIsReadFromItsBlobs(Engines engines) {
    Fixture f = store(engines, "glb");
    ContainerdDaemon c = f.containerd();
    String manifest =
        c.ctrOk("images", "ls")
            .lines()
            .filter(l -> l.startsWith("docker.io/library/base:1 "))
            .map(l -> l.split("\\s+")[2])
            .findFirst()
            .orElseThrow();
    c.ctrOk("content", "label", manifest, GcLabels.LAYER_PREFIX + "0=");
    Reads r = reads(c);
    StoredImage base = r.byLabels().model().image(f.docker().imageId("base:1"));
    assertThat(base.created()).as("read from its config").isNotNull();
    assertThat(rulesView(r.byLabels())).isEqualTo(rulesView(r.byBlobs()));
  }

  private record Reads(ContainerdState byLabels, ContainerdState byBlobs) {}

  /** The store read as the rules read it, then with every blob read. */
  private static Reads reads(ContainerdDaemon c) {
    try (ContainerdClient client =
        new ContainerdClient(c.socket().toString(), ContainerdDaemon.NAMESPACE)) {
      return new Reads(
          new ContainerdSnapshot(client, Platform.node(), SNAPSHOTTER).read(false),
          new ContainerdSnapshot(client, Platform.node(), SNAPSHOTTER).read(true));
    }
  }

  private record Fixture(DockerDaemon docker, ContainerdDaemon containerd) {}

  /** Five images saved from Docker: one layer, two sharing a layer, a child of two, a label. */
  private static Fixture store(Engines engines, String name) {
    DockerDaemon docker = engines.docker(name);
    ContainerdDaemon c = engines.containerd(name);
    docker.importImage("base:1");
    docker.importImage("shared:1", "same");
    docker.importImage("shared:2", "same");
    docker.commitChild("base:1", "child:1");
    docker.importImage("labelled:1", null, List.of("LABEL team=a"));
    Path tar = c.dir().resolve("images.tar");
    docker.dockerOk(
        "save", "-o", tar.toString(), "base:1", "shared:1", "shared:2", "child:1", "labelled:1");
    c.importArchive(tar);
    return new Fixture(docker, c);
  }

  /** Per image what the rules use: ID, layer chain, size, references. */
  private static List<String> rulesView(ContainerdState state) {
    return state.model().images().stream()
        .map(
            i ->
                i.id()
                    + " "
                    + i.chainIds()
                    + " "
                    + i.size()
                    + " "
                    + state.model().referencesOf(i.id()))
        .sorted()
        .toList();
  }
}
