package io.kubermi.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.kubermi.chart.RenderedChart;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pods the chart's DaemonSet and Deployment would make, as the API server's admission sees
 * them: each created with a server-side dry run in the release's namespace, so the priority class,
 * the security settings and the volumes are checked by the real admission chain (nothing is stored;
 * there is no kubelet to run them).
 */
class ChartPodsAdmittedIT {
  @Test
  void theChartsPodsPassTheApiServersAdmission() {
    ControlPlane controlPlane = ControlPlane.shared();
    List<HasMetadata> rendered =
        RenderedChart.render(ChartIdentities.RELEASE, ChartIdentities.NAMESPACE, Map.of());
    ChartIdentities.apply(controlPlane); // the pods' ServiceAccounts
    DaemonSet agents = RenderedChart.find(rendered, DaemonSet.class, ChartIdentities.AGENT);
    Deployment operator = RenderedChart.find(rendered, Deployment.class, ChartIdentities.OPERATOR);
    assertThat(agents.getSpec().getTemplate().getSpec().getPriorityClassName())
        .isEqualTo("system-node-critical");
    for (PodTemplateSpec template :
        List.of(agents.getSpec().getTemplate(), operator.getSpec().getTemplate())) {
      Pod pod =
          new PodBuilder()
              .withNewMetadata()
              .withGenerateName("admitted-")
              .withNamespace(ChartIdentities.NAMESPACE)
              .withLabels(template.getMetadata().getLabels())
              .endMetadata()
              .withSpec(template.getSpec())
              .build();
      assertThatCode(() -> controlPlane.admin().resource(pod).dryRun().create())
          .as("a pod of %s", template.getMetadata().getLabels())
          .doesNotThrowAnyException();
    }
  }

  /**
   * The Pod Security level each pod needs, as the API server's PodSecurity admission judges it: the
   * operator's pod is admitted in the namespace of its own the chart makes (enforcing restricted);
   * the agent's pod is refused under restricted and under baseline (host paths), so its namespace
   * has to be privileged.
   */
  @Test
  void theOperatorPassesRestrictedAndTheAgentNeedsPrivileged() {
    ControlPlane controlPlane = ControlPlane.shared();
    String operatorNamespace = "kube-rmi-restricted";
    List<HasMetadata> rendered =
        RenderedChart.render(
            ChartIdentities.RELEASE,
            ChartIdentities.NAMESPACE,
            Map.of("operator.namespace", operatorNamespace, "operator.createNamespace", true));
    Namespace ns = RenderedChart.find(rendered, Namespace.class, operatorNamespace);
    controlPlane.admin().resource(ns).serverSideApply();
    ServiceAccount sa =
        RenderedChart.find(rendered, ServiceAccount.class, ChartIdentities.OPERATOR);
    controlPlane.admin().resource(sa).serverSideApply();
    Deployment operator = RenderedChart.find(rendered, Deployment.class, ChartIdentities.OPERATOR);
    assertThatCode(
            () ->
                controlPlane
                    .admin()
                    .resource(pod(operator.getSpec().getTemplate(), operatorNamespace))
                    .dryRun()
                    .create())
        .doesNotThrowAnyException();

    DaemonSet agents = RenderedChart.find(rendered, DaemonSet.class, ChartIdentities.AGENT);
    for (String level : List.of("restricted", "baseline")) {
      String name = "kube-rmi-agent-" + level;
      controlPlane
          .admin()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .addToLabels("pod-security.kubernetes.io/enforce", level)
                  .endMetadata()
                  .build())
          .serverSideApply();
      ServiceAccount agentSa =
          new ServiceAccountBuilder()
              .withNewMetadata()
              .withName(agents.getSpec().getTemplate().getSpec().getServiceAccountName())
              .withNamespace(name)
              .endMetadata()
              .build();
      controlPlane.admin().resource(agentSa).serverSideApply();
      assertThatThrownBy(
              () ->
                  controlPlane
                      .admin()
                      .resource(pod(agents.getSpec().getTemplate(), name))
                      .dryRun()
                      .create())
          .as("the agent under %s", level)
          .hasMessageContaining("violates PodSecurity \"" + level)
          .hasMessageContaining("hostPath");
    }
  }

  private static Pod pod(PodTemplateSpec template, String namespace) {
    return new PodBuilder()
        .withNewMetadata()
        .withGenerateName("admitted-")
        .withNamespace(namespace)
        .withLabels(template.getMetadata().getLabels())
        .endMetadata()
        .withSpec(template.getSpec())
        .build();
  }
}
