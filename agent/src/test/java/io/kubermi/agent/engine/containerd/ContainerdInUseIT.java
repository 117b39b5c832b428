package io.kubermi.agent.engine.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.cli.RmiCommandAccess;
import io.kubermi.testing.ContainerdDaemon;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A container whose image name is gone is found by its snapshot's parent layer. When two images
 * share that layer the agent cannot tell which one the container uses, and must not delete either
 * while it runs.
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
}
