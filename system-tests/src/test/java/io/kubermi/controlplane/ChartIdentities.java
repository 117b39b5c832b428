package io.kubermi.controlplane;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.chart.RenderedChart;
import io.kubermi.cluster.ClusterFixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The chart's identities on a real control plane: its ServiceAccounts, ClusterRoles, Roles and
 * bindings exactly as {@code helm template} renders them (release {@value #RELEASE}, namespace
 * {@value #NAMESPACE}), so the RBAC the tests run under is the chart's. The workloads themselves
 * are not created; a test runs the operator and agents as processes with these identities' tokens.
 */
public final class ChartIdentities {
  public static final String RELEASE = "kube-rmi";
  public static final String NAMESPACE = ControlPlane.NAMESPACE;
  public static final String OPERATOR = RELEASE + "-operator";
  public static final String AGENT = RELEASE + "-agent";

  /** The kinds of the rendered chart that make up its identities and permissions. */
  private static final List<Class<? extends HasMetadata>> RBAC =
      List.of(
          ServiceAccount.class,
          ClusterRole.class,
          ClusterRoleBinding.class,
          Role.class,
          RoleBinding.class);

  private final ControlPlane controlPlane;

  private ChartIdentities(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  /** Applies the chart's RBAC to the control plane (again: the apply is idempotent). */
  public static ChartIdentities apply(ControlPlane controlPlane) {
    KubernetesClient admin = controlPlane.admin();
    for (HasMetadata object : RenderedChart.render(RELEASE, NAMESPACE, Map.of())) {
      if (RBAC.stream().noneMatch(type -> type.isInstance(object))) continue;
      if (object.getMetadata().getNamespace() == null && !isClusterScoped(object)) {
        object.getMetadata().setNamespace(NAMESPACE);
      }
      object.getMetadata().setManagedFields(null);
      // What helm marks its own objects with: a `helm install` of the release adopts these.
      Map<String, String> annotations = new HashMap<>();
      if (object.getMetadata().getAnnotations() != null) {
        annotations.putAll(object.getMetadata().getAnnotations());
      }
      annotations.put("meta.helm.sh/release-name", RELEASE);
      annotations.put("meta.helm.sh/release-namespace", NAMESPACE);
      object.getMetadata().setAnnotations(annotations);
      admin.resource(object).forceConflicts().serverSideApply();
    }
    return new ChartIdentities(controlPlane);
  }

  private static boolean isClusterScoped(HasMetadata object) {
    return object instanceof ClusterRole || object instanceof ClusterRoleBinding;
  }

  /** Takes back what {@link #grantUser} granted. */
  public void revokeUser(String role) {
    controlPlane.admin().rbac().clusterRoleBindings().withName(userBinding(role)).delete();
  }

  private static String userBinding(String role) {
    return ControlPlane.USER + "-" + RELEASE + "-" + role;
  }

  /** A fresh token of the operator's ServiceAccount. */
  public String operatorToken() {
    return controlPlane.serviceAccountToken(NAMESPACE, OPERATOR);
  }

  /** A fresh token of the agents' ServiceAccount, bound to nothing. */
  public String agentToken() {
    return controlPlane.serviceAccountToken(NAMESPACE, AGENT);
  }

  /**
   * A token of the agents' ServiceAccount as the kubelet gives one to the DaemonSet's pod on that
   * node: bound to a pod scheduled there (a pod object of the test's, which no kubelet runs), so
   * the API server puts the node's name in every request it authenticates.
   */
  public String agentTokenOnNode(String node) {
    KubernetesClient admin = controlPlane.admin();
    Pod pod =
        admin
            .pods()
            .inNamespace(NAMESPACE)
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withGenerateName(AGENT + "-")
                    .withLabels(Map.of(ControlPlane.TEST_POD_LABEL, "agent-token"))
                    .endMetadata()
                    .withNewSpec()
                    .withServiceAccountName(AGENT)
                    .withNodeName(node)
                    .addNewContainer()
                    .withName("agent")
                    .withImage("kube-rmi-agent")
                    .endContainer()
                    .endSpec()
                    .build())
            .create();
    TokenRequest request =
        new TokenRequestBuilder()
            .withNewSpec()
            .withExpirationSeconds(3600L)
            .withNewBoundObjectRef()
            .withApiVersion("v1")
            .withKind("Pod")
            .withName(pod.getMetadata().getName())
            .withUid(pod.getMetadata().getUid())
            .endBoundObjectRef()
            .endSpec()
            .build();
    return admin
        .serviceAccounts()
        .inNamespace(NAMESPACE)
        .withName(AGENT)
        .tokenRequest(request)
        .getStatus()
        .getToken();
  }

  /**
   * The chart's admission policy and its binding, as helm renders them; in force once this returns
   * (a server-side dry run of a NodeImageRemoval by the administrator is refused).
   */
  public void applyAdmissionPolicy() {
    for (HasMetadata object : admissionPolicy()) {
      controlPlane.admin().resource(object).forceConflicts().serverSideApply();
    }
    awaitPolicy(true);
  }

  /** Takes the admission policy away again; no longer in force once this returns. */
  public void removeAdmissionPolicy() {
    for (HasMetadata object : admissionPolicy()) {
      controlPlane.admin().resource(object).delete();
    }
    awaitPolicy(false);
  }

  /** Waits until the API server's admission has the policy (or no longer has it). */
  private void awaitPolicy(boolean inForce) {
    NodeImageRemoval probe =
        ClusterFixtures.nodeRemoval("admission-probe", "admission-probe", "probe:1");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      boolean refused;
      try {
        controlPlane.admin().resource(probe).dryRun().create();
        refused = false;
      } catch (KubernetesClientException e) {
        refused = e.getMessage().contains(RELEASE + "-node-removals");
      }
      if (refused == inForce) return;
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException(
        "the admission policy is " + (inForce ? "not" : "still") + " in force after 60 s");
  }

  private static List<HasMetadata> admissionPolicy() {
    return RenderedChart.render(RELEASE, NAMESPACE, Map.of()).stream()
        .filter(
            o ->
                o instanceof ValidatingAdmissionPolicy
                    || o instanceof ValidatingAdmissionPolicyBinding)
        .toList();
  }

  /**
   * Grants {@link ControlPlane#USER} the chart's role of that name suffix ({@code editor} or {@code
   * viewer}), as docs/operations.md tells an administrator to.
   */
  public void grantUser(String role) {
    controlPlane
        .admin()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(userBinding(role))
                .endMetadata()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("ClusterRole")
                .withName(RELEASE + "-" + role)
                .endRoleRef()
                .addNewSubject()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("User")
                .withName(ControlPlane.USER)
                .endSubject()
                .build())
        .serverSideApply();
  }
}
