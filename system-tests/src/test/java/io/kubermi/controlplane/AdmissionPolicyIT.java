package io.kubermi.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeImageRemovalStatus;
import io.kubermi.api.RemovalPhase;
import io.kubermi.cli.local.EmbeddedCluster;
import io.kubermi.cluster.ClusterFixtures;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's ValidatingAdmissionPolicy on the real API server: only the operator's ServiceAccount
 * creates NodeImageRemovals or changes their spec, a node's name in one never changes, and only the
 * agent whose token is bound to a pod on that node writes its status. What RBAC alone allowed (any
 * agent writing any node's status, an administrator creating a child past the operator's
 * validation) is refused.
 */
class AdmissionPolicyIT {
  private static ControlPlane controlPlane;
  private static ChartIdentities identities;

  @BeforeAll
  static void start() {
    controlPlane = ControlPlane.shared();
    identities = ChartIdentities.apply(controlPlane);
    for (String node : List.of("vap-a", "vap-b")) {
      controlPlane.admin().resource(EmbeddedCluster.node(node, Map.of())).create();
    }
    identities.applyAdmissionPolicy();
  }

  @AfterAll
  static void stop() {
    identities.removeAdmissionPolicy();
    controlPlane.wipeTestObjects();
  }

  @Test
  void onlyTheOperatorCreatesNodeRemovalsAndNoNodeNameChanges() {
    try (KubernetesClient operator = controlPlane.client(identities.operatorToken())) {
      NodeImageRemoval child = operator.resource(child("vap-op", "vap-a")).create();
      assertRefused(
          () -> controlPlane.admin().resource(child("vap-admin", "vap-a")).create(),
          "only the kube-rmi operator creates NodeImageRemovals or changes their spec");

      assertRefused(
          () ->
              operator
                  .resources(NodeImageRemoval.class)
                  .withName(child.getMetadata().getName())
                  .edit(
                      c -> {
                        c.getSpec().setNodeName("vap-b");
                        return c;
                      }),
          "spec.nodeName of a NodeImageRemoval cannot change");

      assertThatCode(
              () ->
                  controlPlane
                      .admin()
                      .resources(NodeImageRemoval.class)
                      .withName(child.getMetadata().getName())
                      .edit(
                          c -> {
                            c.getMetadata().getLabels().put("team", "platform");
                            return c;
                          }))
          .as("a label, not the spec: anyone RBAC allows")
          .doesNotThrowAnyException();
    }
  }

  @Test
  void onlyTheAgentOnTheNodeWritesItsStatus() {
    NodeImageRemoval onA;
    NodeImageRemoval onB;
    try (KubernetesClient operator = controlPlane.client(identities.operatorToken())) {
      onA = operator.resource(child("vap-st", "vap-a")).create();
      onB = operator.resource(child("vap-st", "vap-b")).create();
    }
    try (KubernetesClient agentOnA = controlPlane.client(identities.agentTokenOnNode("vap-a"));
        KubernetesClient unbound = controlPlane.client(identities.agentToken())) {
      assertThatCode(() -> agentOnA.resource(running(onA)).patchStatus())
          .as("the agent on vap-a writes vap-a's status")
          .doesNotThrowAnyException();
      String onlyItsAgent = "a NodeImageRemoval's status is written only by the agent on its node";
      assertRefused(() -> agentOnA.resource(running(onB)).patchStatus(), onlyItsAgent);
      assertRefused(() -> unbound.resource(running(onA)).patchStatus(), onlyItsAgent);
      assertRefused(() -> controlPlane.admin().resource(running(onA)).patchStatus(), onlyItsAgent);
    }
  }

  private static NodeImageRemoval running(NodeImageRemoval child) {
    NodeImageRemovalStatus status = new NodeImageRemovalStatus();
    status.setPhase(RemovalPhase.Running);
    child.setStatus(status);
    child.getMetadata().setResourceVersion(null);
    return child;
  }

  private static NodeImageRemoval child(String removal, String node) {
    NodeImageRemoval child = ClusterFixtures.nodeRemoval(removal + "-" + node, node, "busybox");
    child.getMetadata().getLabels().put(KubeRmi.LABEL_REMOVAL, removal);
    return child;
  }

  private static void assertRefused(ThrowingCallable call, String message) {
    KubernetesClientException refused = catchThrowableOfType(KubernetesClientException.class, call);
    assertThat(refused).as("refused by the admission policy").isNotNull();
    assertThat(refused.getMessage()).contains(ChartIdentities.RELEASE + "-node-removals", message);
  }
}
