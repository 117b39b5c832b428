package io.kubermi.chart;

import static io.kubermi.chart.RenderedChart.CHART;
import static io.kubermi.chart.RenderedChart.find;
import static io.kubermi.chart.RenderedChart.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.cli.local.EmbeddedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The chart through the real helm (lint --strict, template), rendered objects parsed and checked.
 */
class HelmChartTest {
  static Set<String> rules(List<PolicyRule> rules) {
    return rules.stream()
        .flatMap(
            r ->
                r.getResources().stream()
                    .flatMap(
                        res ->
                            r.getVerbs().stream()
                                .map(v -> r.getApiGroups().get(0) + "/" + res + ":" + v)))
        .collect(Collectors.toSet());
  }

  static Map<String, String> env(Container c) {
    return c.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  @Test
  void lintsStrictly() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void rbacIsExactlyWhatEachProcessUses() {
    List<HasMetadata> objects = render(Map.of());
    assertThat(rules(find(objects, ClusterRole.class, "krmi-agent").getRules()))
        .containsExactlyInAnyOrder(
            "kube-rmi.io/nodeimageremovals:get",
            "kube-rmi.io/nodeimageremovals:list",
            "kube-rmi.io/nodeimageremovals:watch",
            "kube-rmi.io/nodeimageremovals/status:patch",
            "/nodes:get");
    assertThat(rules(find(objects, ClusterRole.class, "krmi-operator").getRules()))
        .containsExactlyInAnyOrder(
            "kube-rmi.io/imageremovals:get",
            "kube-rmi.io/imageremovals:list",
            "kube-rmi.io/imageremovals:watch",
            "kube-rmi.io/imageremovals:create",
            "kube-rmi.io/imageremovals:delete",
            "kube-rmi.io/imageremovals/status:patch",
            "kube-rmi.io/imageremovalschedules:get",
            "kube-rmi.io/imageremovalschedules:list",
            "kube-rmi.io/imageremovalschedules:watch",
            "kube-rmi.io/imageremovalschedules/status:patch",
            "kube-rmi.io/nodeimageremovals:get",
            "kube-rmi.io/nodeimageremovals:list",
            "kube-rmi.io/nodeimageremovals:watch",
            "kube-rmi.io/nodeimageremovals:create",
            "kube-rmi.io/nodeimageremovals:patch",
            "kube-rmi.io/nodeimageremovals:delete",
            "/nodes:get",
            "/nodes:list",
            "/nodes:watch",
            "/events:create");
    Role lease = find(objects, Role.class, "krmi-operator-leader-election");
    assertThat(lease.getMetadata().getNamespace()).isEqualTo("kube-rmi");
    assertThat(rules(lease.getRules()))
        .containsExactlyInAnyOrder(
            "coordination.k8s.io/leases:get",
            "coordination.k8s.io/leases:create",
            "coordination.k8s.io/leases:update",
            "coordination.k8s.io/leases:patch");
  }

  @Test
  void agentLandsOnEveryNodeWithSecureDefaultsAndRealProbes() {
    List<HasMetadata> objects = render(Map.of());
    DaemonSet ds = find(objects, DaemonSet.class, "krmi-agent");
    var pod = ds.getSpec().getTemplate().getSpec();
    assertThat(pod.getTolerations())
        .anySatisfy(
            t -> {
              assertThat(t.getOperator()).isEqualTo("Exists");
              assertThat(t.getKey()).isNull();
            });
    Container agent = pod.getContainers().get(0);
    assertThat(agent.getArgs()).containsExactly("agent");
    assertThat(agent.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("NODE_NAME");
              assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
            });
    assertThat(env(agent).get("KUBE_RMI_PROTECTED_IMAGES"))
        .contains("registry.k8s.io/pause:*", "*/kube-rmi/*", "gke.gcr.io/pause:*");
    assertThat(env(agent).get("KUBE_RMI_PROTECTED_IMAGES"))
        .as("the chart protects what the agent protects when the value is unset, and its images")
        .isEqualTo(
            String.join(",", ProtectedImages.DEFAULT_PATTERNS)
                + ",ghcr.io/kube-rmi/kube-rmi-operator:*,ghcr.io/kube-rmi/kube-rmi-operator@*"
                + ",ghcr.io/kube-rmi/kube-rmi-agent:*,ghcr.io/kube-rmi/kube-rmi-agent@*");
    assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
    assertThat(env(agent).get("KUBE_RMI_PROTECTED_NAMESPACES"))
        .isEqualTo(String.join(",", ProtectedImages.DEFAULT_NAMESPACES));
    assertProbesServeOnMetricsPort(agent, "8081");
    assertThat(agent.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(agent.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(agent.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(agent.getSecurityContext().getSeccompProfile().getType())
        .isEqualTo("RuntimeDefault");
    assertThat(pod.getSecurityContext().getRunAsUser()).as("root only for the socket").isZero();
    assertThat(ds.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");

    Deployment op = find(objects, Deployment.class, "krmi-operator");
    Container operator = op.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(op.getSpec().getReplicas()).isEqualTo(2);
    assertThat(op.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot())
        .isTrue();
    assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(operator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertProbesServeOnMetricsPort(operator, "8080");
  }

  private static void assertProbesServeOnMetricsPort(Container c, String port) {
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
    assertThat(c.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("metrics");
              assertThat(p.getContainerPort()).isEqualTo(Integer.parseInt(port));
            });
    assertThat(env(c).get("KUBE_RMI_METRICS_PORT")).isEqualTo(port);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "auto, /run, Directory, auto, KUBE_RMI_CONTAINERD_SOCKETS, /host/run/containerd/containerd.sock",
    "containerd, /run/containerd/containerd.sock, Socket, containerd, KUBE_RMI_CONTAINERD_SOCKETS, /host/engine.sock",
    "k3s, /run/k3s/containerd/containerd.sock, Socket, containerd, KUBE_RMI_CONTAINERD_SOCKETS, /host/engine.sock",
    "microk8s, /var/snap/microk8s/common/run/containerd.sock, Socket, containerd, KUBE_RMI_CONTAINERD_SOCKETS, /host/engine.sock",
    "docker, /var/run/docker.sock, Socket, docker, KUBE_RMI_DOCKER_SOCKETS, /host/engine.sock"
  })
  void theSelectedEngineSocketIsMounted(
      String engine,
      String hostPath,
      String type,
      String engineEnv,
      String socketEnv,
      String socket) {
    DaemonSet ds = find(render(Map.of("agent.engine", engine)), DaemonSet.class, "krmi-agent");
    var pod = ds.getSpec().getTemplate().getSpec();
    Volume v =
        pod.getVolumes().stream().filter(x -> x.getHostPath() != null).findFirst().orElseThrow();
    assertThat(v.getHostPath().getPath()).isEqualTo(hostPath);
    assertThat(v.getHostPath().getType()).isEqualTo(type);
    Container agent = pod.getContainers().get(0);
    assertThat(agent.getVolumeMounts())
        .filteredOn(m -> m.getName().equals(v.getName()))
        .singleElement()
        .satisfies(m -> assertThat(m.getReadOnly()).as("read-only").isTrue());
    assertThat(env(agent)).containsEntry("KUBE_RMI_ENGINE", engineEnv);
    assertThat(env(agent).get(socketEnv)).contains(socket);
  }

  /**
   * By default the agent mounts the host's containerd socket and nothing else of the host but its
   * journal folder: no /run, no folder of the engine's.
   */
  @Test
  void byDefaultOnlyTheContainerdSocketAndTheJournalFolderAreMounted() {
    DaemonSet ds = find(render(Map.of()), DaemonSet.class, "krmi-agent");
    assertThat(ds.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getHostPath() != null)
        .extracting(v -> v.getHostPath().getPath() + " " + v.getHostPath().getType())
        .containsExactlyInAnyOrder(
            "/run/containerd/containerd.sock Socket", "/var/lib/kube-rmi DirectoryOrCreate");
  }

  @Test
  void theOperatorMovesToANamespaceOfItsOwnThatEnforcesRestricted() {
    List<HasMetadata> objects =
        render(Map.of("operator.namespace", "kube-rmi-operator", "operator.createNamespace", true));
    Namespace ns = find(objects, Namespace.class, "kube-rmi-operator");
    assertThat(ns.getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    assertThat(find(objects, Deployment.class, "krmi-operator").getMetadata().getNamespace())
        .isEqualTo("kube-rmi-operator");
    assertThat(find(objects, DaemonSet.class, "krmi-agent").getMetadata().getNamespace())
        .isEqualTo("kube-rmi");
    assertThat(
            objects.stream()
                .filter(o -> o.getMetadata().getName().startsWith("krmi-operator"))
                .filter(o -> o.getMetadata().getNamespace() != null)
                .map(o -> o.getMetadata().getNamespace()))
        .containsOnly("kube-rmi-operator");
    assertThat(Serialization.asYaml(objects))
        .contains("system:serviceaccount:kube-rmi-operator:krmi-operator");
    assertThat(render(Map.of("operator.namespace", "kube-rmi-operator")))
        .as("created only when asked")
        .noneMatch(o -> o instanceof Namespace);
  }

  @Test
  void imagesPushedUnderAnotherNameAreProtectedByThatName() {
    DaemonSet ds =
        find(
            render(
                Map.of(
                    "image.operatorRepository", "registry.example.com/ops/cleaner-operator",
                    "image.agentRepository", "registry.example.com/ops/cleaner-agent")),
            DaemonSet.class,
            "krmi-agent");
    assertThat(
            env(ds.getSpec().getTemplate().getSpec().getContainers().get(0))
                .get("KUBE_RMI_PROTECTED_IMAGES"))
        .endsWith(
            ",registry.example.com/ops/cleaner-operator:*,registry.example.com/ops/cleaner-operator@*"
                + ",registry.example.com/ops/cleaner-agent:*,registry.example.com/ops/cleaner-agent@*");
  }

  @Test
  void serviceMonitorOnlyWhenAsked() {
    assertThat(render(Map.of())).noneMatch(o -> o.getKind().equals("ServiceMonitor"));
    assertThat(render(Map.of("serviceMonitor.enabled", true)))
        .anySatisfy(o -> assertThat(o.getKind()).isEqualTo("ServiceMonitor"));
  }

  @Test
  void admissionPolicyByDefaultAndOffWhenAsked() {
    assertThat(render(Map.of()))
        .filteredOn(o -> o instanceof ValidatingAdmissionPolicy)
        .singleElement()
        .satisfies(
            p -> assertThat(((ValidatingAdmissionPolicy) p).getSpec().getValidations()).hasSize(3));
    assertThat(render(Map.of()))
        .filteredOn(o -> o instanceof ValidatingAdmissionPolicyBinding)
        .hasSize(1);
    assertThat(render(Map.of("admissionPolicy.enabled", "false")))
        .noneMatch(
            o ->
                o instanceof ValidatingAdmissionPolicy
                    || o instanceof ValidatingAdmissionPolicyBinding);
  }

  @Test
  void wrongValuesAreRejectedByTheSchema() {
    assertThatThrownBy(() -> render(Map.of("agent.engine", "podman")))
        .hasMessageContaining("agent.engine");
    assertThatThrownBy(() -> render(Map.of("operator.replicas", "two")))
        .hasMessageContaining("operator.replicas");
    assertThatThrownBy(() -> render(Map.of("agent.metricsPort", 70000)))
        .hasMessageContaining("agent.metricsPort");
    assertThatThrownBy(() -> render(Map.of("agent.colour", "blue"))).hasMessageContaining("colour");
  }

  /**
   * Every key has a comment above it; the members of sockets, resources and the exclusion's
   * selector are described by their parent's.
   */
  @Test
  void everyValueHasAComment() throws Exception {
    List<String> lines = Files.readAllLines(CHART.resolve("values.yaml"));
    Deque<String[]> parents = new ArrayDeque<>(); // {indent, key}
    for (int i = 0; i < lines.size(); i++) {
      var m = Pattern.compile("^(\\s*)([A-Za-z][A-Za-z0-9]*):").matcher(lines.get(i));
      if (!m.find()) continue;
      int indent = m.group(1).length();
      while (!parents.isEmpty() && Integer.parseInt(parents.peek()[0]) >= indent) parents.pop();
      boolean describedByParent =
          !parents.isEmpty()
              && Set.of(
                      "sockets",
                      "resources",
                      "requests",
                      "limits",
                      "excludeNodes",
                      "matchExpressions")
                  .contains(parents.peek()[1]);
      if (!describedByParent) {
        assertThat(lines.get(i - 1).trim())
            .as("comment above values.yaml line %d: %s", i + 1, lines.get(i))
            .startsWith("#");
      }
      parents.push(new String[] {String.valueOf(indent), m.group(2)});
    }
  }

  @Test
  void chartCrdsAreTheGeneratedOnes() throws Exception {
    for (String crd : EmbeddedCluster.CRDS) {
      assertThat(CHART.resolve("crds").resolve(crd))
          .hasSameTextualContentAs(Path.of("../crds").resolve(crd));
    }
  }
}
