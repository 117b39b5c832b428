package io.kubermi.faults;

import static io.kubermi.cluster.ClusterFixtures.await;
import static io.kubermi.cluster.ClusterFixtures.nodeRemoval;
import static io.kubermi.cluster.ClusterFixtures.phase;
import static io.kubermi.cluster.ClusterFixtures.removal;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageResult;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeLabel;
import io.kubermi.api.Outcome;
import io.kubermi.api.RemovalPhase;
import io.kubermi.cluster.TestCluster;
import io.kubermi.controlplane.ChartIdentities;
import io.kubermi.controlplane.ControlPlane;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Watches that can no longer resume: the operator and the agent (processes, as the chart's
 * ServiceAccounts) are cut off from the API server while hundreds of changes to the kinds they
 * watch go by and kube-apiserver restarts, so the resource version they last saw is older than
 * anything the new server can replay from. A watch from it is answered 410 Gone; the informers must
 * list afresh and carry on: the removal made during the cut, and one made after, both run exactly.
 */
@ExtendWith(EnginesExtension.class)
class ExpiredWatchIT {
  private static final String NODE = "expired-watch";
  private static final int CHURN = 300;

  @Test
  void removalsRunExactlyAfterTheWatchesExpired(Engines engines) throws Exception {
    DockerDaemon docker = engines.docker("expired");
    Path journal = Files.createDirectories(docker.dir().resolve("journal"));
    ControlPlane controlPlane = ControlPlane.shared();
    ChartIdentities identities = ChartIdentities.apply(controlPlane);
    try (TestCluster cluster = new TestCluster();
        CuttableProxy proxy = FaultNode.proxy()) {
      cluster.addNode(NODE, Map.of());
      try (InClusterProcess operator = FaultNode.startOperator(proxy, identities, docker);
          InClusterProcess agent =
              FaultNode.startAgent(proxy, identities, NODE, docker, null, journal)) {
        runExactly(cluster, docker, "before");
        String seen =
            cluster
                .client()
                .resources(NodeImageRemoval.class)
                .list()
                .getMetadata()
                .getResourceVersion();

        proxy.cut();
        churn(cluster);
        Map<String, String> during = FaultNode.images(docker, null, "during", 4);
        cluster
            .client()
            .resource(onTheNode(removal("during", List.copyOf(during.keySet()))))
            .create();
        controlPlane.restartApiServer();
        assertThat(watchFrom(cluster, seen).get(30, TimeUnit.SECONDS))
            .as("a watch from the version the processes last saw")
            .isEqualTo(410);
        proxy.restore();

        ImageRemoval done =
            await(
                cluster,
                "during",
                Duration.ofSeconds(120),
                r -> {
                  operator.restartIfExited();
                  agent.restartIfExited();
                  return phase(RemovalPhase.Succeeded).test(r);
                });
        assertThat(done.getStatus().getPhase()).isEqualTo(RemovalPhase.Succeeded);
        assertExact(cluster, "during", during);
        runExactly(cluster, docker, "after");
      }
    }
  }

  /**
   * Hundreds of changes to the kinds the processes watch: children of a removal that does not
   * exist, on a node that does not exist, made and deleted.
   */
  private static void churn(TestCluster cluster) {
    for (int i = 0; i < CHURN; i++) {
      cluster.client().resource(nodeRemoval("churn-" + i, "nowhere", "churn:" + i)).create();
    }
    cluster
        .client()
        .resources(NodeImageRemoval.class)
        .withLabel(KubeRmi.LABEL_NODE, "nowhere")
        .delete();
  }

  /** The HTTP code a watch from that resource version ends with (0 if it opened fine). */
  private static CompletableFuture<Integer> watchFrom(TestCluster cluster, String resourceVersion) {
    CompletableFuture<Integer> code = new CompletableFuture<>();
    var watch =
        cluster
            .client()
            .resources(NodeImageRemoval.class)
            .watch(
                new ListOptionsBuilder().withResourceVersion(resourceVersion).build(),
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, NodeImageRemoval resource) {}

                  @Override
                  public void onClose(WatcherException cause) {
                    code.complete(cause.isHttpGone() ? 410 : -1);
                  }
                });
    return code.whenComplete((c, e) -> watch.close());
  }

  private static void runExactly(TestCluster cluster, DockerDaemon docker, String name)
      throws Exception {
    Map<String, String> ids = FaultNode.images(docker, null, name, 4);
    cluster.client().resource(onTheNode(removal(name, List.copyOf(ids.keySet())))).create();
    await(cluster, name, Duration.ofSeconds(60), phase(RemovalPhase.Succeeded));
    assertExact(cluster, name, ids);
  }

  private static ImageRemoval onTheNode(ImageRemoval removal) {
    removal.getSpec().setNodeNames(List.of(NODE));
    return removal;
  }

  private static void assertExact(TestCluster cluster, String name, Map<String, String> ids) {
    List<ImageResult> results =
        cluster
            .client()
            .resources(NodeImageRemoval.class)
            .withName(NodeLabel.childName(name, NODE))
            .get()
            .getStatus()
            .getResults();
    assertThat(results).extracting(ImageResult::getImage).containsExactlyElementsOf(ids.keySet());
    for (ImageResult r : results) {
      assertThat(r.getOutcome()).as(r.getImage()).isEqualTo(Outcome.Removed);
      assertThat(r.getDeleted()).contains(ids.get(r.getImage()));
    }
  }
}
