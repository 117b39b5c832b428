package io.kubermi.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.cluster.SilentServer;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kube-rmi agent} as its own process, on a real Docker node, against an API server that
 * accepts connections and never answers: it exits with status 1 and says why once its start limit
 * passed, for the kubelet to start it afresh.
 */
@ExtendWith(EnginesExtension.class)
class AgentExitIT {
  @Test
  void anAgentWhoseFirstListNeverAnswersExitsWithStatusOne(Engines engines) throws Exception {
    DockerDaemon docker = engines.docker("exit");
    Path journal = Files.createDirectories(docker.dir().resolve("journal"));
    Path log = docker.dir().resolve("agent.log");
    try (SilentServer silent = new SilentServer()) {
      Map<String, String> api = new HashMap<>();
      api.put("KUBERNETES_MASTER", "http://127.0.0.1:" + silent.port() + "/");
      api.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
      api.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
      Map<String, String> env = new HashMap<>(FaultNode.agentEnv(api, "n1", docker, null, journal));
      env.put("KUBE_RMI_START_SECONDS", "3");
      try (InClusterProcess agent = new InClusterProcess("agent", env, log).start()) {
        OptionalInt exit = agent.exitWithin(Duration.ofSeconds(60));
        assertThat(exit).as("exited by itself; its log: %s", Files.readString(log)).isPresent();
        assertThat(exit.getAsInt()).isEqualTo(1);
        assertThat(Files.readString(log))
            .contains(
                "kube-rmi agent: no list and watch of this node's NodeImageRemovals within 3 s;"
                    + " exiting");
        assertThat(silent.reached()).as("the agent did reach the server").isTrue();
      }
    }
  }
}
