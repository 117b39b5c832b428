package io.kubermi.agent.engine;

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
 * An image a container of a kube-system pod was made from (exited, as a pod's container is between
 * restarts) is Protected even under force, on both engines: the pod's namespace comes from the
 * label the kubelet's runtime puts on the container. Docker itself untags it.
 */
@ExtendWith(EnginesExtension.class)
class SystemPodImagesIT {
  static final String KUBE_PROXY = "registry.k8s.io/kube-proxy:v1.30.0";
  static final String APP = "app:1";
  static final String LABEL = "io.kubernetes.pod.namespace";

  @Test
  void onDockerForceLeavesAKubeSystemPodsImageAndRemovesAnotherPodsImage(Engines engines) {
    DockerDaemon docker = engines.docker("sysdocker");
    String proxy = docker.importImage(KUBE_PROXY);
    docker.importImage(APP);
    docker.dockerOk(
        "create", "--label", LABEL + "=kube-system", "--name", "kube-proxy", KUBE_PROXY, "true");
    docker.dockerOk("create", "--label", LABEL + "=default", "--name", "app", APP, "true");

    RmiCommandAccess.Output o =
        RmiCommandAccess.run(List.of("--docker-host", docker.host(), "-f", KUBE_PROXY, APP));
    assertThat(o.exit()).isEqualTo(1);
    assertThat(o.err())
        .contains(
            "image \""
                + KUBE_PROXY
                + "\" is used by container "
                + docker.dockerOk("inspect", "-f", "{{.Id}}", "kube-proxy").substring(0, 12)
                + " of a pod in namespace kube-system, which the agent protects");
    assertThat(o.out()).contains("Untagged: " + APP);
    assertThat(docker.imageId(KUBE_PROXY)).isEqualTo(proxy);

    // What docker itself does with the same request: the image goes.
    assertThat(docker.dockerOk("rmi", "-f", KUBE_PROXY)).contains("Untagged: " + KUBE_PROXY);
  }

  @Test
  void onContainerdForceLeavesAKubeSystemPodsImage(Engines engines) {
    DockerDaemon docker = engines.docker("syscd");
    ContainerdDaemon c = engines.containerd("syscd");
    docker.importImage(KUBE_PROXY);
    docker.importImage(APP);
    Path tar = c.dir().resolve("sys.tar");
    docker.dockerOk("save", "-o", tar.toString(), KUBE_PROXY, APP);
    c.importArchive(tar);
    c.ctrOk(
        "containers",
        "create",
        "--label",
        LABEL + "=kube-system",
        KUBE_PROXY,
        "kube-proxy",
        "/bin/busybox",
        "true");

    RmiCommandAccess.Output o =
        RmiCommandAccess.run(
            List.of("--containerd-address", c.socket().toString(), "-f", KUBE_PROXY, APP));
    assertThat(o.exit()).isEqualTo(1);
    assertThat(o.err())
        .contains(
            "image \""
                + KUBE_PROXY
                + "\" is used by container kube-proxy of a pod in namespace kube-system");
    assertThat(o.out()).contains("Untagged: " + APP);
    assertThat(c.imageListing()).anySatisfy(l -> assertThat(l).contains(KUBE_PROXY));
  }
}
