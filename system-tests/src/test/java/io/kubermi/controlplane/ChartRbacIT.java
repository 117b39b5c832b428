package io.kubermi.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalSchedule;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeImageRemovalStatus;
import io.kubermi.api.RemovalPhase;
import io.kubermi.cluster.ClusterFixtures;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC enforced by a real API server: each identity can do its own job and is refused
 * (403) everything else. The identities are the chart's ServiceAccounts with tokens from the
 * TokenRequest API, and a person granted the chart's editor or viewer role.
 */
class ChartRbacIT {
  private static ControlPlane controlPlane;
  private static ChartIdentities identities;

  @BeforeAll
  static void start() {
    controlPlane = ControlPlane.shared();
    identities = ChartIdentities.apply(controlPlane);
  }

  @AfterAll
  static void wipe() {
    identities.revokeUser("viewer");
    identities.revokeUser("editor");
    controlPlane.wipeTestObjects();
  }

  @Test
  void theAgentReadsNodeRemovalsAndWritesTheirStatusAndReadsANodeAndNothingElse() {
    controlPlane
        .admin()
        .resource(new NodeBuilder().withNewMetadata().withName("rbac-n1").endMetadata().build())
        .createOr(existing -> existing.update());
    NodeImageRemoval child = controlPlane.admin().resource(child("rbac-agent", "rbac-n1")).create();
    try (KubernetesClient agent = controlPlane.client(identities.agentToken())) {
      assertThat(
              agent
                  .resources(NodeImageRemoval.class)
                  .withLabel("kube-rmi.io/node", "rbac-n1")
                  .list()
                  .getItems())
          .extracting(c -> c.getMetadata().getName())
          .containsExactly("rbac-agent-rbac-n1");
      NodeImageRemovalStatus status = new NodeImageRemovalStatus();
      status.setPhase(RemovalPhase.Running);
      child.setStatus(status);
      assertThatCode(() -> agent.resource(child).patchStatus()).doesNotThrowAnyException();

      assertForbidden(
          () ->
              agent
                  .resource(ClusterFixtures.removal("rbac-by-agent", List.of("busybox")))
                  .create());
      assertForbidden(() -> agent.resource(child("rbac-forged", "rbac-n1")).create());
      assertForbidden(
          () ->
              agent
                  .resources(NodeImageRemoval.class)
                  .withName(child.getMetadata().getName())
                  .delete());
      assertForbidden(() -> agent.secrets().inNamespace(ChartIdentities.NAMESPACE).list());
      assertThat(agent.nodes().withName("rbac-n1").get().getMetadata().getName())
          .isEqualTo("rbac-n1");
      assertForbidden(() -> agent.nodes().list());
      assertForbidden(() -> agent.nodes().withName("rbac-n1").watch(ignoring()));
      assertForbidden(() -> agent.nodes().withName("rbac-n1").edit(n -> n));
      assertForbidden(() -> agent.pods().inAnyNamespace().list());
    }
  }

  private static Watcher<Node> ignoring() {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Node node) {}

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  @Test
  void theOperatorDoesItsJobAndNothingElse() {
    controlPlane
        .admin()
        .resource(new NodeBuilder().withNewMetadata().withName("rbac-n2").endMetadata().build())
        .create();
    try (KubernetesClient operator = controlPlane.client(identities.operatorToken())) {
      assertThat(operator.nodes().list().getItems())
          .extracting(n -> n.getMetadata().getName())
          .contains("rbac-n2");
      NodeImageRemoval child = operator.resource(child("rbac-op", "rbac-n2")).create();
      assertThatCode(() -> operator.resource(child).delete()).doesNotThrowAnyException();
      assertThatCode(
              () ->
                  operator
                      .leases()
                      .inNamespace(ChartIdentities.NAMESPACE)
                      .resource(lease("rbac-lease"))
                      .create())
          .doesNotThrowAnyException();

      assertForbidden(() -> operator.secrets().inNamespace(ChartIdentities.NAMESPACE).list());
      assertForbidden(() -> operator.nodes().withName("rbac-n2").delete());
      assertForbidden(
          () -> operator.leases().inNamespace("default").resource(lease("rbac-lease")).create());
      assertForbidden(
          () ->
              operator
                  .pods()
                  .inNamespace(ChartIdentities.NAMESPACE)
                  .resource(
                      new PodBuilder()
                          .withNewMetadata()
                          .withName("rbac-pod")
                          .endMetadata()
                          .withNewSpec()
                          .addNewContainer()
                          .withName("c")
                          .withImage("busybox")
                          .endContainer()
                          .endSpec()
                          .build())
                  .create());
      assertForbidden(
          () -> operator.resources(ImageRemovalSchedule.class).withName("any").delete());
    }
  }

  @Test
  void aPersonNeedsTheEditorRoleToRemoveImagesAndTheViewerRoleOnlyReads() {
    try (KubernetesClient user = controlPlane.user()) {
      assertForbidden(() -> user.resources(ImageRemoval.class).list());

      identities.grantUser("viewer");
      assertThat(user.resources(ImageRemoval.class).list().getItems()).isNotNull();
      assertForbidden(
          () ->
              user.resource(ClusterFixtures.removal("rbac-by-viewer", List.of("busybox")))
                  .create());

      identities.grantUser("editor");
      ImageRemoval created =
          user.resource(ClusterFixtures.removal("rbac-by-editor", List.of("busybox"))).create();
      assertThat(created.getMetadata().getUid()).isNotBlank();
      assertForbidden(() -> user.resource(child("rbac-by-editor", "rbac-n3")).create());
      assertForbidden(() -> user.resource(created).patchStatus());
    }
  }

  private static Lease lease(String name) {
    return new LeaseBuilder().withNewMetadata().withName(name).endMetadata().build();
  }

  private static NodeImageRemoval child(String removal, String node) {
    NodeImageRemoval child = ClusterFixtures.nodeRemoval(removal + "-" + node, node, "busybox");
    child.getMetadata().getLabels().put(KubeRmi.LABEL_REMOVAL, removal);
    return child;
  }

  private static void assertForbidden(ThrowingCallable call) {
    KubernetesClientException refused = catchThrowableOfType(KubernetesClientException.class, call);
    assertThat(refused).as("the API server refused the request").isNotNull();
    assertThat(refused.getCode()).as(refused.getMessage()).isEqualTo(403);
  }
}
