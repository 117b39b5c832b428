package io.kubermi.image;

import static io.kubermi.cluster.ClusterFixtures.await;
import static io.kubermi.cluster.ClusterFixtures.finished;
import static io.kubermi.cluster.ClusterFixtures.removal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageResult;
import io.kubermi.api.NodeResult;
import io.kubermi.api.Outcome;
import io.kubermi.api.RemovalPhase;
import io.kubermi.chart.RenderedChart;
import io.kubermi.cli.DemoReadmeIT;
import io.kubermi.cluster.TestCluster;
import io.kubermi.controlplane.ChartIdentities;
import io.kubermi.controlplane.ControlPlane;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import io.kubermi.testing.LocalRegistry;
import io.kubermi.testing.Sh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The container images, built by images/build-images.sh on a real Docker, run the way the chart
 * runs them: the operator and the agent containers get the rendered chart's image, arguments,
 * environment, security context, memory limit and socket mount, and remove images from the very
 * engine they run on, through an embedded API server. Each image holds only its own process.
 */
@ExtendWith(EnginesExtension.class)
class ContainerImageIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void chartConfiguredContainersRemoveImagesOnTheirOwnEngine(Engines engines) throws Exception {
    DockerDaemon docker = engines.docker("image");
    // Named for a registry of the test's own and pushed there, as docs/operations.md shows.
    LocalRegistry registry = engines.registry();
    String repository = registry.host() + "/team";
    List<String> built =
        ImageBuild.build(docker, Path.of(".."), true, List.of("--registry", repository, "--push"));
    assertThat(built).allSatisfy(image -> assertThat(image).startsWith(repository + "/kube-rmi"));
    for (String image : built) {
      String name = image.substring(registry.host().length() + 1, image.lastIndexOf(':'));
      String tag = image.substring(image.lastIndexOf(':') + 1);
      assertThat(get(registry.port(), "/v2/" + name + "/tags/list").body())
          .as("pushed: " + image)
          .contains("\"" + tag + "\"");
    }
    assertOnlyItsOwnProcess(
        docker,
        built.get(0),
        List.of("io/kubermi/operator/", "io/javaoperatorsdk/"),
        List.of(
            "io/kubermi/agent/",
            "io/kubermi/cli/",
            "com/github/dockerjava/",
            "io/grpc/",
            "com/google/protobuf/",
            "io/fabric8/kubernetes/client/server/mock/",
            "io/fabric8/mockwebserver/"));
    assertOnlyItsOwnProcess(
        docker,
        built.get(1),
        List.of("io/kubermi/agent/", "com/github/dockerjava/", "io/grpc/"),
        List.of(
            "io/kubermi/operator/",
            "io/kubermi/cli/",
            "io/javaoperatorsdk/",
            "io/fabric8/kubernetes/client/server/mock/",
            "io/fabric8/mockwebserver/",
            // API groups the agent never uses (agent/pom.xml leaves them out)
            "io/fabric8/kubernetes/api/model/gatewayapi/",
            "io/fabric8/kubernetes/api/model/resource/",
            "io/fabric8/kubernetes/api/model/networking/",
            "io/fabric8/kubernetes/api/model/storage/",
            "io/fabric8/kubernetes/api/model/flowcontrol/",
            "io/fabric8/kubernetes/api/model/rbac/"));

    int agentPort = freePort();
    int operatorPort = freePort();
    List<HasMetadata> chart =
        RenderedChart.render(
            Map.of(
                "image.operatorRepository",
                repository + "/kube-rmi-operator",
                "image.agentRepository",
                repository + "/kube-rmi-agent",
                "agent.engine",
                "docker",
                "agent.metricsPort",
                String.valueOf(agentPort),
                "operator.metricsPort",
                String.valueOf(operatorPort)));
    PodSpec agentPod =
        RenderedChart.find(chart, DaemonSet.class, "krmi-agent").getSpec().getTemplate().getSpec();
    PodSpec operatorPod =
        RenderedChart.find(chart, Deployment.class, "krmi-operator")
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(built.subList(0, 2))
        .as("the chart's images are the ones the build makes")
        .containsExactly(
            operatorPod.getContainers().get(0).getImage(),
            agentPod.getContainers().get(0).getImage());

    Sh.Result demo = docker.docker("run", "--rm", "--network", "none", built.get(2), "demo");
    assertThat(demo.exit()).as(demo.err()).isZero();
    assertThat(demo.out())
        .as("docker run IMAGE demo prints the README's demo")
        .isEqualTo(DemoReadmeIT.readmeDemoOutput());

    docker.importImage("app:1");
    docker.dockerOk("tag", "app:1", "app:2");
    String busy = docker.importImage("busy:1");
    docker.runContainer("busy:1", "busy");

    try (TestCluster cluster = new TestCluster()) {
      cluster.addNode("node-a", Map.of());
      ControlPlane controlPlane = ControlPlane.shared();
      ChartIdentities identities = ChartIdentities.apply(controlPlane);
      // As the kubelet runs a pod: the API server's address in the environment, and the
      // ServiceAccount's token, the cluster's CA and the namespace in the mounted folder.
      URI api = URI.create(controlPlane.url());
      Map<String, String> clusterEnv =
          Map.of(
              "KUBERNETES_SERVICE_HOST",
              api.getHost(),
              "KUBERNETES_SERVICE_PORT",
              Integer.toString(api.getPort()),
              "KUBERNETES_AUTH_TRYKUBECONFIG",
              "false");
      runAsChartSays(
          docker,
          "krmi-operator",
          operatorPod,
          clusterEnv,
          serviceAccountFolder(docker, controlPlane, "operator", identities.operatorToken()),
          Map.of("KUBE_RMI_LEASE_NAMESPACE", "kube-rmi"));
      runAsChartSays(
          docker,
          "krmi-agent",
          agentPod,
          clusterEnv,
          serviceAccountFolder(docker, controlPlane, "agent", identities.agentToken()),
          Map.of("NODE_NAME", "node-a"));
      try {
        awaitReady(docker, agentPort);
        awaitReady(docker, operatorPort);
        List<String> images = List.of("app:1", "app:2", busy.substring(7, 19), built.get(1));
        cluster.client().resource(removal("in-image", images)).create();
        ImageRemoval done = await(cluster, "in-image", Duration.ofSeconds(90), finished());

        assertThat(done.getStatus().getPhase()).isEqualTo(RemovalPhase.Failed);
        NodeResult node = done.getStatus().getNodes().get(0);
        assertThat(node.getEngine()).startsWith("docker ");
        List<ImageResult> results = node.getResults();
        assertThat(results)
            .extracting(ImageResult::getOutcome)
            .containsExactly(Outcome.Removed, Outcome.Removed, Outcome.Conflict, Outcome.Protected);
        assertThat(results.get(0).getUntagged()).containsExactly("app:1");
        assertThat(results.get(1).getUntagged()).containsExactly("app:2");
        assertThat(results.get(1).getDeleted()).isNotEmpty();
        assertThat(results.get(2).getMessage())
            .contains("image is being used by running container");
        assertThat(docker.imageListing())
            .noneMatch(l -> l.contains(" app:"))
            .anyMatch(l -> l.contains(" busy:1 "))
            .anyMatch(l -> l.contains(" " + built.get(1) + " "));

        String agentMetrics = get(agentPort, "/metrics").body();
        assertThat(agentMetrics)
            .contains(
                "kube_rmi_agent_images_untagged_total 2.0",
                "kube_rmi_agent_images_deleted_total " + results.get(1).getDeleted().size() + ".0",
                "kube_rmi_agent_conflicts_total{reason=\"Conflict\"} 1.0",
                "kube_rmi_agent_conflicts_total{reason=\"Protected\"} 1.0",
                "kube_rmi_agent_engine_up 1.0");
        assertThat(get(operatorPort, "/metrics").body())
            .contains("kube_rmi_removals_total{phase=\"Failed\"} 1.0");
        System.out.println(
            "ContainerImageIT: agent container resident memory after the removal: "
                + ImageBuild.rssKib(
                        Long.parseLong(
                            docker.dockerOk("inspect", "-f", "{{.State.Pid}}", "krmi-agent")))
                    / 1024
                + " MiB; image sizes: "
                + built.stream()
                    .map(
                        i ->
                            i
                                + " "
                                + docker.dockerOk("image", "inspect", "-f", "{{.Size}}", i).trim()
                                + " bytes")
                    .toList());
      } finally {
        System.out.println(
            "agent log:\n" + docker.docker("logs", "--tail", "40", "krmi-agent").err());
        docker.docker("rm", "-f", "krmi-agent", "krmi-operator");
      }
    }
  }

  /**
   * The image's jars (its own and those in lib/) hold classes under every {@code present} prefix
   * and under none of the {@code absent} ones; prints the jar list.
   */
  /** Each jar the image runs (but its own) is a component of the image's CycloneDX SBOM. */
  private static void assertSbomListsEveryJar(String image, Path sbom, Path lib)
      throws IOException {
    JsonNode bom = new ObjectMapper().readTree(sbom.toFile());
    assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
    Set<String> components = new TreeSet<>();
    bom.path("components")
        .forEach(c -> components.add(c.path("name").asText() + "-" + c.path("version").asText()));
    try (Stream<Path> files = Files.list(lib)) {
      List<String> jars =
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> !n.equals("kube-rmi.jar"))
              .toList();
      assertThat(jars).isNotEmpty();
      assertThat(jars)
          .as(image + ": every jar is in the SBOM")
          .allSatisfy(
              jar ->
                  assertThat(components)
                      .anySatisfy(c -> assertThat(jar).startsWith(c).endsWith(".jar")));
    }
  }

  private static void assertOnlyItsOwnProcess(
      DockerDaemon docker, String image, List<String> present, List<String> absent)
      throws IOException {
    Path out = Files.createTempDirectory(docker.dir().path(), "image-jars");
    String container = docker.dockerOk("create", image).trim();
    try {
      docker.dockerOk("cp", container + ":/opt/kube-rmi/lib", out.toString());
      docker.dockerOk(
          "cp", container + ":/opt/kube-rmi/sbom.cdx.json", out.resolve("sbom.json").toString());
      docker.dockerOk(
          "cp", container + ":/opt/kube-rmi/kube-rmi.jar", out.resolve("lib").toString());
    } finally {
      docker.dockerOk("rm", container);
    }
    assertSbomListsEveryJar(image, out.resolve("sbom.json"), out.resolve("lib"));
    List<String> jars = new ArrayList<>();
    Set<String> found = new TreeSet<>();
    try (Stream<Path> files = Files.list(out.resolve("lib"))) {
      for (Path jar : files.sorted().toList()) {
        jars.add(jar.getFileName().toString());
        try (JarFile j = new JarFile(jar.toFile())) {
          j.stream()
              .map(JarEntry::getName)
              .forEach(
                  name ->
                      Stream.concat(present.stream(), absent.stream())
                          .filter(name::startsWith)
                          .forEach(found::add));
        }
      }
    }
    System.out.println(
        "ContainerImageIT: "
            + image
            + " holds "
            + jars.size()
            + " jars: "
            + String.join(" ", jars));
    assertThat(found)
        .as(image + ": classes found among " + jars)
        .containsAll(present)
        .doesNotContainAnyElementsOf(absent);
  }

  /**
   * {@code docker run} with what the pod spec says of its one container; host network reaches the
   * API server.
   */
  /** What the kubelet mounts into a pod of the ServiceAccount: its token, the CA, the namespace. */
  private static Path serviceAccountFolder(
      DockerDaemon docker, ControlPlane controlPlane, String name, String token)
      throws IOException {
    Path folder = Files.createDirectories(docker.dir().resolve("serviceaccount-" + name));
    Files.writeString(folder.resolve("token"), token);
    Files.copy(
        controlPlane.caFile(), folder.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(folder.resolve("namespace"), ChartIdentities.NAMESPACE);
    return folder;
  }

  private static void runAsChartSays(
      DockerDaemon docker,
      String name,
      PodSpec pod,
      Map<String, String> clusterEnv,
      Path serviceAccount,
      Map<String, String> downwardApi) {
    Container c = pod.getContainers().get(0);
    List<String> cmd = new ArrayList<>(List.of("run", "-d", "--name", name, "--network", "host"));
    cmd.addAll(List.of("-v", serviceAccount + ":/var/run/secrets/kubernetes.io/serviceaccount:ro"));
    SecurityContext sc = c.getSecurityContext();
    PodSecurityContext psc = pod.getSecurityContext();
    if (Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) cmd.add("--read-only");
    if (Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation()))
      cmd.addAll(List.of("--security-opt", "no-new-privileges"));
    sc.getCapabilities().getDrop().forEach(cap -> cmd.addAll(List.of("--cap-drop", cap)));
    Long user = sc.getRunAsUser() != null ? sc.getRunAsUser() : psc.getRunAsUser();
    Long group = sc.getRunAsGroup() != null ? sc.getRunAsGroup() : psc.getRunAsGroup();
    if (user != null) cmd.addAll(List.of("--user", user + (group != null ? ":" + group : "")));
    cmd.addAll(
        List.of(
            "--memory", c.getResources().getLimits().get("memory").toString().replace("Mi", "m")));
    for (VolumeMount mount : c.getVolumeMounts()) {
      Volume v =
          pod.getVolumes().stream()
              .filter(vol -> vol.getName().equals(mount.getName()))
              .findFirst()
              .orElseThrow();
      if (v.getEmptyDir() != null) cmd.addAll(List.of("--tmpfs", mount.getMountPath()));
      else if (v.getHostPath() != null && "Socket".equals(v.getHostPath().getType())) {
        cmd.addAll(
            List.of(
                "-v", docker.socket() + ":" + mount.getMountPath())); // this node's engine socket
      } else if (v.getHostPath() != null && "DirectoryOrCreate".equals(v.getHostPath().getType())) {
        // A folder of this node's: the agent's journal.
        Path folder = docker.dir().resolve("hostpath-" + v.getName());
        try {
          Files.createDirectories(folder);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        cmd.addAll(List.of("-v", folder + ":" + mount.getMountPath()));
      } else throw new AssertionError("no translation for volume " + v.getName());
    }
    for (EnvVar e : c.getEnv()) {
      String value = e.getValue() != null ? e.getValue() : downwardApi.get(e.getName());
      assertThat(value).as("value of " + e.getName()).isNotNull();
      cmd.addAll(List.of("-e", e.getName() + "=" + value));
    }
    clusterEnv.forEach((k, v) -> cmd.addAll(List.of("-e", k + "=" + v)));
    cmd.add(c.getImage());
    cmd.addAll(c.getArgs());
    docker.dockerOk(cmd.toArray(String[]::new));
  }

  private static void awaitReady(DockerDaemon docker, int port) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (get(port, "/readyz").statusCode() == 200) return;
      } catch (IOException notListening) {
        // the JVM is still starting
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "not ready on port "
            + port
            + "; containers:\n"
            + docker.dockerOk("ps", "-a")
            + docker.docker("logs", "krmi-agent").err()
            + docker.docker("logs", "krmi-operator").err());
  }

  private static HttpResponse<String> get(int port, String path)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
