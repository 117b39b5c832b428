package io.kubermi.agent.engine.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.cli.RmiCommandAccess;
import io.kubermi.testing.ContainerdDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import io.kubermi.testing.OciLayout;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docker rmi --platform on containerd: with a linux/amd64 + linux/arm64 + linux/arm/v7 image,
 * removing linux/arm64 deletes only its manifest, config and own layer; the tag, the index, the
 * other platforms and the layer they share stay, and the node's platform still runs.
 */
@ExtendWith(EnginesExtension.class)
class ContainerdPlatformIT {
  static final String NAME = "docker.io/library/app:2.1";

  @Test
  void removesOnePlatformVariantAndKeepsWhatOthersNeed(Engines engines) {
    ContainerdDaemon c = engines.containerd("plat");
    OciLayout.Result image =
        OciLayout.build(
            c.dir().path(), NAME, List.of("linux/amd64", "linux/arm64/v8", "linux/arm/v7"));
    c.importArchive(image.archive());
    OciLayout.Parts amd64 = image.platforms().get("linux/amd64");
    OciLayout.Parts arm64 = image.platforms().get("linux/arm64/v8");
    OciLayout.Parts armv7 = image.platforms().get("linux/arm/v7");
    List<String> namesBefore = c.imageListing();
    assertThat(namesBefore)
        .contains(NAME + " " + image.index(), amd64.config() + " " + image.index());
    String socket = c.socket().toString();

    // Without force: docker's 400 and nothing removed.
    RmiCommandAccess.Output refused =
        RmiCommandAccess.run(
            List.of("--containerd-address", socket, "--platform", "linux/arm64", "app:2.1"));
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err())
        .isEqualTo(
            "Error response from daemon: Content will be removed from all images referencing this "
                + "variant. Use \u2014-force to force delete.\n");
    assertThat(hasBlob(c, arm64.manifest())).isTrue();

    // A platform the image lacks: docker's 404.
    RmiCommandAccess.Output missing =
        RmiCommandAccess.run(
            List.of("--containerd-address", socket, "-f", "--platform", "linux/s390x", "app:2.1"));
    assertThat(missing.err())
        .contains(
            "failed to delete platform linux/s390x for image "
                + amd64.config()
                + ": image with reference app:2.1 was found but does not provide any platform");

    RmiCommandAccess.Output removed =
        RmiCommandAccess.run(
            List.of("--containerd-address", socket, "-f", "--platform", "linux/arm64", "app:2.1"));
    assertThat(removed.out()).as(removed.err()).isEqualTo("Deleted: " + arm64.manifest() + "\n");
    assertThat(removed.exit()).isZero();

    assertThat(c.imageListing()).as("names and index kept").isEqualTo(namesBefore);
    for (String gone : List.of(arm64.manifest(), arm64.config(), arm64.ownLayer())) {
      assertThat(hasBlob(c, gone)).as("arm64 blob %s", gone).isFalse();
    }
    for (String kept :
        List.of(
            image.index(),
            amd64.manifest(),
            amd64.config(),
            amd64.ownLayer(),
            amd64.sharedLayer(),
            armv7.manifest(),
            armv7.config(),
            armv7.ownLayer())) {
      assertThat(hasBlob(c, kept)).as("kept blob %s", kept).isTrue();
    }
    assertThat(c.ctrOk("images", "check")).contains(NAME).contains("complete");
    c.runContainer(NAME, "after-platform-removal");
    assertThat(c.ctrOk("tasks", "ls")).contains("after-platform-removal").contains("RUNNING");
  }

  /**
   * The case that once deleted the arm64 manifest, config and layer while printing that nothing was
   * removed: a dry run prints what the real removal would, and the store stays as it was.
   */
  @Test
  void dryRunOfAPlatformRemovalChangesNothing(Engines engines) throws InterruptedException {
    ContainerdDaemon c = engines.containerd("platdry");
    OciLayout.Result image =
        OciLayout.build(
            c.dir().path(), NAME, List.of("linux/amd64", "linux/arm64/v8", "linux/arm/v7"));
    c.importArchive(image.archive());
    OciLayout.Parts arm64 = image.platforms().get("linux/arm64/v8");
    List<String> before = WholeStore.settled(c);
    assertThat(before).contains("blob " + arm64.manifest(), "blob " + arm64.ownLayer());

    RmiCommandAccess.Output dry =
        RmiCommandAccess.run(
            List.of(
                "--containerd-address",
                c.socket().toString(),
                "--dry-run",
                "-f",
                "--platform",
                "linux/arm64",
                "app:2.1",
                "app:2.1"));

    // The second argument finds the platform gone, as it would after the first one's removal.
    assertThat(dry.out()).as(dry.err()).isEqualTo("Deleted: " + arm64.manifest() + "\n");
    assertThat(dry.err()).contains("does not provide any platform");
    assertThat(dry.err()).contains("(dry run: nothing was removed)");
    assertThat(WholeStore.of(c)).as("names, blobs, snapshots, containers").isEqualTo(before);
    assertThat(c.ctrOk("images", "check")).contains(NAME).contains("complete");
  }

  private static boolean hasBlob(ContainerdDaemon c, String digest) {
    return c.ctr("content", "get", digest).exit() == 0;
  }
}
