package io.kubermi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fixture starts real engines side by side, builds what tests need, and leaves nothing behind.
 */
class EngineFixtureIT {

  @Test
  void twoDockerNodesAndARegistryWorkAndLeaveNothingBehind() {
    EngineDir[] dirs = new EngineDir[3];
    try (Engines engines = new Engines()) {
      DockerDaemon a = engines.docker("a");
      DockerDaemon b = engines.docker("b");
      LocalRegistry registry = engines.registry();
      dirs[0] = a.dir();
      dirs[1] = b.dir();
      dirs[2] = registry.dir();
      assertThat(a.socket()).isNotEqualTo(b.socket());
      assertThat(a.socket().toString().length()).isLessThan(100);

      String parent = a.importImage("p:1");
      String child = a.commitChild("p:1", "c:1");
      assertThat(a.dockerOk("image", "inspect", "--format", "{{.Parent}}", "c:1"))
          .isEqualTo(parent);
      String running = a.runContainer("p:1", "sleeper");
      assertThat(a.dockerOk("inspect", "--format", "{{.State.Running}}", running))
          .isEqualTo("true");
      String digestRef = registry.pushAndPullByDigest(a, "p:1", "test/busybox:1");
      assertThat(digestRef).startsWith(registry.host() + "/test/busybox@sha256:");

      List<String> listing = a.imageListing();
      assertThat(listing).anySatisfy(l -> assertThat(l).startsWith(parent + " p:1"));
      assertThat(listing).anySatisfy(l -> assertThat(l).startsWith(child + " c:1"));
      assertThat(listing)
          .anySatisfy(l -> assertThat(l).contains(digestRef.substring(digestRef.indexOf('@') + 1)));
      assertThat(b.imageListing()).as("node b is a separate store").isEmpty();

      // Same content key, same layer: what the Deleted: layer lines of docker depend on.
      b.importImage("s:1", "shared");
      b.importImage("s:2", "shared");
      assertThat(b.dockerOk("image", "inspect", "--format", "{{json .RootFS.Layers}}", "s:1"))
          .isEqualTo(b.dockerOk("image", "inspect", "--format", "{{json .RootFS.Layers}}", "s:2"));
      assertThat(dirs[0].ownedProcesses()).isNotEmpty();
    }
    for (EngineDir dir : dirs) {
      assertNothingLeft(dir);
    }
  }

  @Test
  void containerdRunsImportedImagesAndLeavesNothingBehind() {
    EngineDir dir;
    try (Engines engines = new Engines()) {
      DockerDaemon docker = engines.docker("src");
      ContainerdDaemon containerd = engines.containerd("n");
      dir = containerd.dir();
      docker.importImage("busy:1");
      Path archive = containerd.dir().resolve("busy.tar");
      docker.dockerOk("save", "-o", archive.toString(), "busy:1");
      containerd.importArchive(archive);
      String id = docker.imageId("busy:1");
      assertThat(containerd.imageListing())
          .contains("docker.io/library/busy:1 " + targetOf(containerd, "docker.io/library/busy:1"))
          .anySatisfy(l -> assertThat(l).startsWith(id + " "));
      containerd.runContainer("docker.io/library/busy:1", "c1");
      assertThat(containerd.ctrOk("tasks", "ls")).contains("c1").contains("RUNNING");
    }
    assertNothingLeft(dir);
  }

  private static String targetOf(ContainerdDaemon c, String name) {
    return c.imageListing().stream()
        .filter(l -> l.startsWith(name + " "))
        .findFirst()
        .orElseThrow()
        .split(" ")[1];
  }

  private static void assertNothingLeft(EngineDir dir) {
    assertThat(dir.ownedProcesses()).as("processes of " + dir.path()).isEmpty();
    assertThat(dir.ownedMounts()).as("mounts under " + dir.path()).isEmpty();
    assertThat(Files.exists(dir.path())).as(dir.path() + " deleted").isFalse();
  }
}
