package io.kubermi.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
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
}
