package io.kubermi.cluster;

import static io.kubermi.cluster.ClusterFixtures.await;
import static io.kubermi.cluster.ClusterFixtures.removal;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalStatus;
import io.kubermi.api.NodeImageRemoval;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A fan-out of more child writes than the operator makes before its first status (256): the first
 * status reaches the API server before the first child create, so a busy server does not hold it
 * behind thousands of creates, and the run then starts on every node.
 */
class LargeFanOutIT {
  private static final int NODES = 300;

  @Test
  void theFirstStatusIsWrittenBeforeAnyChildAndTheRunStillCoversEveryNode() throws Exception {
    try (TestCluster cluster = TestCluster.onMock()) {
      for (int i = 0; i < NODES; i++) cluster.addNode("n" + i, Map.of("pool", "large"));
      cluster.startOperator();
      List<String> seen = new CopyOnWriteArrayList<>();
      Watch watch =
          cluster
              .client()
              .resources(ImageRemoval.class)
              .withName("large")
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, ImageRemoval r) {
                      ImageRemovalStatus s = r.getStatus();
                      if (s == null || s.getPhase() == null) return;
                      seen.add(s.getPhase() + " " + s.getStartedAt());
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                  });
      try {
        cluster.drainRequests();
        cluster.client().resource(removal("large", List.of("test1:latest"))).create();
        ImageRemoval started =
            await(
                cluster,
                "large",
                Duration.ofSeconds(60),
                r -> r.getStatus() != null && r.getStatus().getStartedAt() != null);
        List<String> requests = cluster.drainRequests();
        int firstStatusWrite = indexOf(requests, "/imageremovals/large/status");
        int firstChildCreate = indexOf(requests, "/nodeimageremovals");
        assertThat(firstStatusWrite).as("a status write in %s", requests).isNotNegative();
        assertThat(firstStatusWrite)
            .as("the first status write comes before the first child create")
            .isLessThan(firstChildCreate);
        assertThat(seen.get(0))
            .as("the first status: Pending, no startedAt")
            .isEqualTo("Pending null");
        assertThat(started.getStatus().getSummary().getNodesTotal()).isEqualTo(NODES);
        assertThat(cluster.client().resources(NodeImageRemoval.class).list().getItems())
            .hasSize(NODES);
      } finally {
        watch.close();
      }
    }
  }

  /** The index of the first write (not a GET) whose path contains {@code path}, or -1. */
  private static int indexOf(List<String> requests, String path) {
    for (int i = 0; i < requests.size(); i++) {
      String r = requests.get(i);
      if (!r.startsWith("GET") && r.contains(path)) return i;
    }
    return -1;
  }
}
