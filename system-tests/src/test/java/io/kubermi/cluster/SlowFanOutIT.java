package io.kubermi.cluster;

import static io.kubermi.cluster.ClusterFixtures.await;
import static io.kubermi.cluster.ClusterFixtures.docsNode;
import static io.kubermi.cluster.ClusterFixtures.phase;
import static io.kubermi.cluster.ClusterFixtures.removal;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalStatus;
import io.kubermi.api.RemovalPhase;
import io.kubermi.cli.local.EmbeddedCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * An API server that takes 300 ms per NodeImageRemoval create: a fan-out of 48 nodes lasts well
 * past the reconciler's patience, so users must see a first status (every node Pending, no
 * startedAt) while it goes on, and the run must then start and finish on every node.
 */
class SlowFanOutIT {
  private static final int NODES = 48;

  /** Delays child creates; the rest as the embedded API server answers it. */
  static final class SlowChildCreates extends EmbeddedCluster.EverythingAllowed {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if ("POST".equals(request.getMethod())
          && request.getPath() != null
          && request.getPath().contains("/nodeimageremovals")) {
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return super.dispatch(request);
    }
  }

  @Test
  void aFirstStatusIsPendingWithoutStartedAtAndTheRunStillCoversEveryNode() throws Exception {
    try (TestCluster cluster = TestCluster.onMock(new SlowChildCreates())) {
      for (int i = 0; i < NODES; i++) cluster.addNode("n" + i, Map.of("pool", "slow"));
      cluster.startOperator();
      for (int i = 0; i < NODES; i++) cluster.startAgent("n" + i, docsNode(false), 16);
      List<String> seen = new CopyOnWriteArrayList<>();
      Watch watch =
          cluster
              .client()
              .resources(ImageRemoval.class)
              .withName("slow")
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
        cluster.client().resource(removal("slow", List.of("test1:latest"))).create();
        ImageRemoval done =
            await(cluster, "slow", Duration.ofSeconds(60), phase(RemovalPhase.Succeeded));
        assertThat(done.getStatus().getSummary().getNodesSucceeded()).isEqualTo(NODES);
        assertThat(done.getStatus().getStartedAt()).isNotNull();
        // Without a first status written during the fan-out, the first one would carry the run's
        // startedAt, written once every child exists. When that write reaches the API server
        // among the creates depends on the client's scheduling, so it is not asserted.
        assertThat(seen.get(0))
            .as("the first status: Pending, no startedAt")
            .isEqualTo("Pending null");
      } finally {
        watch.close();
      }
    }
  }
}
