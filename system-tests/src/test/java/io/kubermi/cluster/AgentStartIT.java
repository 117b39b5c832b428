package io.kubermi.cluster;

import static io.kubermi.cluster.ClusterFixtures.docsNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubermi.agent.watch.NodeAgent;
import java.time.Clock;
import java.time.Duration;
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
    try (SilentServer silent = new SilentServer()) {
      Config config =
          new ConfigBuilder()
              .withMasterUrl("http://127.0.0.1:" + silent.port())
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
        assertThat(silent.reached()).as("the agent did reach the server").isTrue();
        assertThat(agent.isWatching()).isFalse();
      }
    }
  }
}
