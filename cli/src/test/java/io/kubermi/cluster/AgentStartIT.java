package io.kubermi.cluster;

import static io.kubermi.cluster.ClusterFixtures.docsNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubermi.agent.watch.NodeAgent;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An agent whose first list and watch never answers gives up after its start limit instead of
 * waiting for good: an API server that accepts connections and then says nothing, with the agent's
 * own client timeouts.
 */
class AgentStartIT {

  @Test
  @Timeout(60) // without the limit, start() waits on the informer for good
  void anAgentWhoseFirstListNeverAnswersGivesUpAtItsLimit() throws Exception {
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread accept =
          new Thread(
              () -> {
                while (!silent.isClosed()) {
                  try {
                    accepted.add(silent.accept()); // held open, never read or answered
                  } catch (Exception e) {
                    return;
                  }
                }
              });
      accept.setDaemon(true);
      accept.start();
      Config config =
          new ConfigBuilder()
              .withMasterUrl("http://127.0.0.1:" + silent.getLocalPort())
              .withConnectionTimeout(10_000)
              .withRequestTimeout(30_000)
              .build();
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
        NodeAgent agent = new NodeAgent(client, "n1", docsNode(false), Clock.systemUTC(), 16);
        long start = System.nanoTime();
        assertThatThrownBy(() -> agent.start(Duration.ofSeconds(3)))
            .isInstanceOf(NodeAgent.NotStarted.class)
            .hasMessage("no list and watch of this node's NodeImageRemovals within 3 s");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(seconds).isBetween(2.9, 20.0);
        assertThat(accepted).as("the agent did reach the server").isNotEmpty();
        assertThat(agent.isWatching()).isFalse();
      } finally {
        for (Socket s : accepted) s.close();
      }
    }
  }
}
