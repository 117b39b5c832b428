package io.kubermi.agent.engine.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.cli.PruneCommandAccess;
import io.kubermi.agent.cli.RmiCommandAccess;
import io.kubermi.testing.ContainerdDaemon;
import io.kubermi.testing.CurrentDockerCli;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import io.kubermi.testing.Sh;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A container whose image name is gone is found by its snapshot's parent layer. When two images
 * share that layer the agent cannot tell which one the container uses, and must not delete either
 * while it runs. An image mounted without a container (a pod's image volume: an active snapshot on
 * its top layer, keyed as the CRI plugin keys it) is in use the way a running container makes it.
 */
@ExtendWith(EnginesExtension.class)
class ContainerdInUseIT {
  @Test
  void aRunningContainerProtectsEveryImageItMayUse(Engines engines) {
    DockerDaemon docker = engines.docker("inuse");
    ContainerdDaemon c = engines.containerd("inuse");
    String a = docker.importImage("a:1", "same-content");
    String b = docker.importImage("b:1", "same-content");
    assertThat(a).isNotEqualTo(b);
    Path tar = c.dir().resolve("ab.tar");
    docker.dockerOk("save", "-o", tar.toString(), "a:1", "b:1");
    c.importArchive(tar);
    c.runContainer("docker.io/library/a:1", "runner");
    c.removeName("docker.io/library/a:1");
    String socket = c.socket().toString();

    RmiCommandAccess.Output o =
        RmiCommandAccess.run(List.of("--containerd-address", socket, "-f", b));
    assertThat(o.exit()).isEqualTo(1);
    assertThat(o.err())
        .contains(
            "conflict: unable to delete "
                + b.substring(7, 19)
                + " (cannot be forced) - image is being used by "
                + "running container runner");
    assertThat(c.imageListing())
        .anySatisfy(l -> assertThat(l).startsWith(a + " "))
        .anySatisfy(l -> assertThat(l).startsWith(b + " "));
    assertThat(c.ctrOk("tasks", "ls")).contains("runner").contains("RUNNING");
  }

  @Test
  void anImageMountedAsAPodsVolumeIsUsedAsByARunningContainer(Engines engines) {
    DockerDaemon docker = engines.docker("mount");
    ContainerdDaemon c = engines.containerd("mount");
    docker.importImage("data:1", "data");
    docker.importImage("other:1", "other");
    Path tar = c.dir().resolve("data.tar");
    docker.dockerOk("save", "-o", tar.toString(), "data:1", "other:1");
    c.importArchive(tar);
    String topLayer =
        docker.dockerOk("image", "inspect", "-f", "{{index .RootFS.Layers 0}}", "data:1");
    String sandbox = "5".repeat(64);
    c.ctrOk(
        "snapshots",
        "prepare",
        "/state/io.containerd.grpc.v1.cri/image-volumes/" + sandbox + "/" + "e".repeat(64),
        topLayer);
    String user = docker.runContainer("data:1", "user");
    String socket = c.socket().toString();

    for (List<String> args : List.of(List.of("data:1"), List.of("-f", "data:1"))) {
      Sh.Result expected = CurrentDockerCli.run(docker, prepend("rmi", args));
      RmiCommandAccess.Output o =
          RmiCommandAccess.run(prepend("--containerd-address", prepend(socket, args)));
      assertThat(o.exit()).as(args.toString()).isEqualTo(expected.exit());
      assertThat(o.out()).as(args.toString()).isEqualTo(expected.out());
      assertThat(o.err())
          .as(args.toString())
          .isEqualTo(expected.err().replace(user.substring(0, 12), sandbox.substring(0, 12)));
    }
    Sh.Result pruned = CurrentDockerCli.prune(docker, List.of("-a"));
    PruneCommandAccess.Output ours =
        PruneCommandAccess.run(List.of("-a", "--containerd-address", socket));
    assertThat(ours.out()).contains("untagged: other:1").doesNotContain("data");
    assertThat(pruned.out()).contains("untagged: other:1").doesNotContain("data");
    assertThat(c.ctrOk("snapshots", "ls")).contains(topLayer);
  }

  private static List<String> prepend(String first, List<String> rest) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(rest);
    return all;
  }
}
