package io.kubermi.cluster;

import static io.kubermi.cluster.ClusterFixtures.removal;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalStatus;
import io.kubermi.api.RemovalPhase;
import io.kubermi.operator.status.ApiStatusStore;
import io.kubermi.operator.status.StatusWriter;
import io.kubermi.runtime.JsonPatch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The status writer's resourceVersion check through a real HTTP API (the test server answers 409 as
 * the API server does).
 */
class StatusWriteRaceIT {
  @Test
  void aStaleStatusWriteIsRefusedByTheServerThenRecomputedAndApplied() {
    try (TestCluster cluster = TestCluster.onMock()) {
      ImageRemoval created = cluster.client().resource(removal("race", List.of("a:1"))).create();
      ImageRemoval stale = cluster.client().resources(ImageRemoval.class).withName("race").get();
      // Another writer moves the object on after our read.
      cluster
          .client()
          .resources(ImageRemoval.class)
          .withName("race")
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON),
              JsonPatch.set("/status", status(RemovalPhase.Running, "other")));
      List<String> computedFrom = new ArrayList<>();
      cluster.drainRequests();

      StatusWriter.Written w =
          new StatusWriter(new ApiStatusStore(cluster.client()))
              .write(
                  stale,
                  r -> {
                    computedFrom.add(r.getMetadata().getResourceVersion());
                    String progress = r.getStatus() == null ? "none" : r.getStatus().getProgress();
                    return status(RemovalPhase.Succeeded, "after " + progress);
                  });

      assertThat(cluster.drainRequests())
          .as("refused, read again, written: no GET of the object before a patch")
          .map(r -> r.substring(0, r.indexOf(' ')))
          .containsExactly("PATCH", "GET", "PATCH");
      assertThat(computedFrom)
          .as("computed from the stale object, then from the one the other writer left")
          .hasSize(2)
          .first()
          .isEqualTo(stale.getMetadata().getResourceVersion());
      assertThat(computedFrom.get(1)).isNotEqualTo(stale.getMetadata().getResourceVersion());
      ImageRemovalStatus now =
          cluster.client().resources(ImageRemoval.class).withName("race").get().getStatus();
      assertThat(now.getPhase()).isEqualTo(RemovalPhase.Succeeded);
      assertThat(now.getProgress())
          .as("built on what the other writer wrote")
          .isEqualTo("after other");
      assertThat(w.previous().getProgress()).isEqualTo("other");
      assertThat(created.getMetadata().getUid()).isNotNull();
    }
  }

  private static ImageRemovalStatus status(RemovalPhase phase, String progress) {
    ImageRemovalStatus s = new ImageRemovalStatus();
    s.setObservedGeneration(1L);
    s.setPhase(phase);
    s.setProgress(progress);
    return s;
  }
}
