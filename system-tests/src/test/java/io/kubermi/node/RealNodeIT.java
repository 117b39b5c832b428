package io.kubermi.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageResult;
import io.kubermi.api.NodeResult;
import io.kubermi.api.Outcome;
import io.kubermi.api.RemovalPhase;
import io.kubermi.controlplane.ControlPlane;
import io.kubermi.controlplane.UpstreamBinaries;
import io.kubermi.docs.HelmProcess;
import io.kubermi.image.ImageBuild;
import io.kubermi.testing.CurrentDockerCli;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Sh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * kube-rmi as a cluster runs it: the images built by images/build-images.sh, imported into a real
 * node's containerd 2.x ({@link KubeletNode}), the chart installed by helm, the agent started by
 * the kubelet as the chart's DaemonSet pod (its node from the downward API, its engine through the
 * mounted socket), and removals applied with kubectl by a person holding the chart's editor role.
 * What each removal reports is compared with what {@code docker rmi} says on a Docker daemon
 * holding the same images (the same archive, so the same IDs), and checked in the node's own
 * listing afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealNodeIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String RELEASE = "kube-rmi";
  private static final Duration POD_LIMIT = Duration.ofMinutes(3);

  private static KubeletNode node;
  private static DockerDaemon twin;
  private static List<String> built;
  private static KubernetesClient admin;
  private static Path userKubeconfig;

  @BeforeAll
  static void installChartOnTheNode() throws Exception {
    node = KubeletNode.start();
    admin = node.controlPlane().admin();
    try (DockerDaemon builder = DockerDaemon.start("rn-build")) {
      built = ImageBuild.build(builder, ROOT, false);
      Path images = node.dir().resolve("kube-rmi-images.tar");
      List<String> save = new ArrayList<>(List.of("save", "-o", images.toString()));
      save.addAll(built);
      builder.dockerOk(save.toArray(String[]::new));
      node.containerd().importImages(images);
    }
    // The daemon docker's answers come from: the test images only, in the same archives.
    twin = DockerDaemon.start("rn-twin");

    Path kubeconfig = node.controlPlane().kubeconfig("helm", node.controlPlane().adminToken());
    try (HelmProcess helm =
        new HelmProcess(kubeconfig, ROOT, ROOT.resolve("system-tests/target/jna"))) {
      HelmProcess.Result installed =
          helm.run(
              "install "
                  + RELEASE
                  + " "
                  + ROOT.resolve("helm/kube-rmi")
                  + " --namespace "
                  + ControlPlane.NAMESPACE
                  + " --set image.pullPolicy=Never"
                  + " --set agent.sockets.containerd="
                  + node.containerd().socket()
                  + " --set agent.journalHostPath="
                  + node.dir().resolve("journal"));
      assertThat(installed.ok()).as(installed.output()).isTrue();
    }
    admin
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName("jane-editor")
                .endMetadata()
                .addNewSubject()
                .withKind("User")
                .withName(ControlPlane.USER)
                .withApiGroup("rbac.authorization.k8s.io")
                .endSubject()
                .withNewRoleRef()
                .withKind("ClusterRole")
                .withName(RELEASE + "-editor")
                .withApiGroup("rbac.authorization.k8s.io")
                .endRoleRef()
                .build())
        .create();
    userKubeconfig = node.controlPlane().kubeconfig("jane", node.controlPlane().userToken());
    Pod agent = awaitReadyPod("agent");
    awaitReadyPod("operator");
    Container c = agent.getSpec().getContainers().get(0);
    assertThat(c.getImage()).isEqualTo(built.get(1));
    assertThat(agent.getSpec().getNodeName()).isEqualTo(KubeletNode.NAME);
  }

  @AfterAll
  static void stop() {
    if (twin != null) twin.close();
    if (node != null) node.close();
  }

  @Test
  @Order(1)
  void anImageRemovalAppliedWithKubectlRemovesImagesFromTheNodesContainerd() throws Exception {
    twin.importImage("rmi-a:1", "a");
    twin.dockerOk("tag", "rmi-a:1", "rmi-a:2");
    twin.importImage("rmi-b:1", "b");
    moveToNode("rmi-a:1", "rmi-a:2", "rmi-b:1");
    Sh.Result docker =
        CurrentDockerCli.run(twin, List.of("rmi", "rmi-a:1", "rmi-a:2", "rmi-b:1", "rmi-none:1"));

    apply("real-node-rmi", "images: [rmi-a:1, rmi-a:2, rmi-b:1, rmi-none:1]");
    ImageRemoval done = awaitFinished("real-node-rmi");
    NodeResult result = nodeResult(done);

    assertThat(done.getStatus().getPhase()).isEqualTo(RemovalPhase.Succeeded);
    assertThat(result.getResults().get(3).getOutcome()).isEqualTo(Outcome.NotFound);
    assertThat(result.getEngine()).isEqualTo("containerd " + node.containerd().version());
    assertThat(dockerLines(result)).isEqualTo(docker.out().lines().toList());
    assertThat(result.getResults().get(3).getMessage()).isEqualTo(daemonError(docker));
    assertThat(node.containerd().imageNames())
        .noneMatch(n -> n.contains("/rmi-a:") || n.contains("/rmi-b:"))
        .contains(CriContainerd.SANDBOX_IMAGE, built.get(0), built.get(1));
  }

  @Test
  @Order(2)
  void anImageMountedAsAPodsVolumeIsInUseForRemovalsAndPrunes() throws Exception {
    twin.importImage("volume-data:1", "volume-data");
    twin.importImage("unused-x:1", "unused-x");
    twin.importImage("unused-y:1", "unused-y");
    moveToNode("volume-data:1", "unused-x:1", "unused-y:1");
    // On the node a pod mounts the image as a volume; on the twin a container runs it.
    String twinUser = twin.runContainer("volume-data:1", "volume-user");
    admin.pods().inNamespace("default").resource(imageVolumePod()).create();
    Pod pod = awaitRunning("default", "volume-user");
    String sandbox = sandboxOf(pod);

    Sh.Result plain = CurrentDockerCli.run(twin, List.of("rmi", "volume-data:1"));
    apply("volume-rmi", "images: [\"volume-data:1\"]");
    NodeResult refused = nodeResult(awaitFinished("volume-rmi"));
    assertThat(refused.getResults().get(0).getMessage())
        .isEqualTo(daemonError(plain).replace(twinUser.substring(0, 12), sandbox.substring(0, 12)));

    Sh.Result forced = CurrentDockerCli.run(twin, List.of("rmi", "-f", "volume-data:1"));
    apply("volume-rmi-force", "images: [\"volume-data:1\"]\n  force: true");
    NodeResult forcedResult = nodeResult(awaitFinished("volume-rmi-force"));
    assertThat(dockerLines(forcedResult)).isEqualTo(forced.out().lines().toList());
    assertThat(forcedResult.getResults().get(0).getDeleted())
        .as("docker keeps an image a running container uses")
        .isEmpty();

    Sh.Result prune = CurrentDockerCli.run(twin, List.of("image", "prune", "-a", "-f"));
    apply("volume-prune", "prune: {all: true}");
    NodeResult pruned = nodeResult(awaitFinished("volume-prune"));
    assertThat(pruneLines(pruned))
        .containsExactlyInAnyOrderElementsOf(
            prune
                .out()
                .lines()
                .filter(l -> l.startsWith("untagged: ") || l.startsWith("deleted: "))
                .toList())
        .anyMatch(l -> l.contains("unused-x:1"))
        .noneMatch(l -> l.contains("volume-data"));
    assertThat(node.containerd().imageNames())
        .noneMatch(n -> n.contains("unused-"))
        .contains(CriContainerd.SANDBOX_IMAGE, built.get(0), built.get(1));
    assertThat(awaitRunning("default", "volume-user").getStatus().getPhase()).isEqualTo("Running");
  }

  @Test
  @Order(3)
  void aSchedulesRunRemovesImagesOnTheNode() throws Exception {
    twin.importImage("scheduled:1", "scheduled");
    moveToNode("scheduled:1");
    Sh.Result docker = CurrentDockerCli.run(twin, List.of("rmi", "scheduled:1"));
    Path file = node.dir().resolve("schedule.yaml");
    Files.writeString(
        file,
        """
        apiVersion: kube-rmi.io/v1alpha1
        kind: ImageRemovalSchedule
        metadata:
          name: every-minute
        spec:
          schedule: "* * * * *"
          template:
            spec:
              images: ["scheduled:1"]
        """);
    kubectl("apply", "-f", file.toString());
    ImageRemoval run = awaitRunOf("every-minute");
    kubectl("delete", "-f", file.toString());
    assertThat(run.getStatus().getPhase()).isEqualTo(RemovalPhase.Succeeded);
    assertThat(dockerLines(nodeResult(run))).isEqualTo(docker.out().lines().toList());
    assertThat(node.containerd().imageNames()).noneMatch(n -> n.contains("scheduled"));
  }

  /**
   * Not a pass/fail timing: kube-rmi's whole path (kubectl apply, the operator, the agent pod, the
   * status) against containerd's own client removing the same 300 images in the same run, printed
   * for docs/benchmarks.md. What is asserted is that both remove all 300.
   */
  @Test
  @Order(4)
  void threeHundredImagesRemovedThroughTheClusterAndByCtr() throws Exception {
    int count = 300;
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= count; i++) names.add("many:" + i);
    Path archive = ManyImages.write(node.dir().resolve("many"), names);

    node.containerd().importImages(archive);
    assertThat(node.containerd().imageNames()).filteredOn(n -> n.contains("/many:")).hasSize(count);
    long start = System.nanoTime();
    // more names than one removal takes (256): a prune of every image with the archive's label
    apply("many", "prune: {all: true, labels: [\"" + ManyImages.LABEL + "\"]}");
    ImageRemoval done = awaitFinished("many");
    Duration cluster = Duration.ofNanos(System.nanoTime() - start);
    NodeResult result = nodeResult(done);
    assertThat(done.getStatus().getPhase()).isEqualTo(RemovalPhase.Succeeded);
    assertThat(pruneLines(result))
        .filteredOn(l -> l.startsWith("untagged: "))
        .containsExactlyInAnyOrderElementsOf(names.stream().map(n -> "untagged: " + n).toList());
    assertThat(node.containerd().imageNames()).noneMatch(n -> n.contains("/many:"));

    node.containerd().importImages(archive);
    List<String> rm = new ArrayList<>(List.of("images", "rm", "--sync"));
    names.forEach(n -> rm.add("docker.io/library/" + n));
    start = System.nanoTime();
    node.containerd().ctrOk(rm.toArray(String[]::new));
    Duration ctr = Duration.ofNanos(System.nanoTime() - start);
    assertThat(node.containerd().imageNames()).noneMatch(n -> n.contains("/many:"));
    System.out.printf(
        "RealNodeIT: %d images: kubectl apply -> Succeeded %d ms (agent %s); ctr images rm --sync"
            + " %d ms%n",
        count, cluster.toMillis(), result.getEngine(), ctr.toMillis());
  }

  /**
   * The chart's agent tolerates every taint: on a node tainted NoSchedule, the DaemonSet's new pod
   * (after the old one is deleted, as a node drain or an upgrade does) is scheduled there by the
   * real scheduler, finds the journal the old pod left in the node's folder, and removes images.
   */
  @Test
  @Order(5)
  void theAgentComesBackOnATaintedNodeAndRemovesImages() throws Exception {
    admin
        .nodes()
        .withName(KubeletNode.NAME)
        .edit(
            n -> {
              List<Taint> taints = new ArrayList<>();
              if (n.getSpec().getTaints() != null) taints.addAll(n.getSpec().getTaints());
              taints.add(new Taint("NoSchedule", "kube-rmi.test/dedicated", null, "infra"));
              n.getSpec().setTaints(taints);
              return n;
            });
    Pod old = awaitReadyPod("agent");
    admin.pods().resource(old).delete();
    Pod agent = awaitReadyPod("agent", old.getMetadata().getUid());
    assertThat(agent.getSpec().getNodeName()).isEqualTo(KubeletNode.NAME);

    twin.importImage("after-taint:1", "after-taint");
    moveToNode("after-taint:1");
    Sh.Result docker = CurrentDockerCli.run(twin, List.of("rmi", "after-taint:1"));
    apply("after-taint", "images: [after-taint:1]");
    NodeResult result = nodeResult(awaitFinished("after-taint"));
    assertThat(dockerLines(result)).isEqualTo(docker.out().lines().toList());
    assertThat(node.containerd().imageNames()).noneMatch(n -> n.contains("after-taint"));
  }

  private static ImageRemoval awaitRunOf(String schedule) {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      for (ImageRemoval r : admin.resources(ImageRemoval.class).list().getItems()) {
        boolean ours =
            r.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> o.getName().equals(schedule));
        if (ours
            && r.getStatus() != null
            && r.getStatus().getPhase() != null
            && r.getStatus().getPhase().isFinished()) {
          return r;
        }
      }
      Sleep.millis(500);
    }
    throw new AssertionError(
        "no finished run of " + schedule + " within 3 minutes\n" + node.logs());
  }

  private static Pod imageVolumePod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("volume-user")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("sleeper")
        .withImage(CriContainerd.SANDBOX_IMAGE)
        .withImagePullPolicy("Never")
        .addNewVolumeMount()
        .withName("data")
        .withMountPath("/data")
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName("data")
        .withNewImage()
        .withReference("volume-data:1")
        .withPullPolicy("Never")
        .endImage()
        .endVolume()
        .endSpec()
        .build();
  }

  /** The pod's sandbox: the one container of containerd's labelled as the pod's sandbox. */
  private static String sandboxOf(Pod pod) {
    String out =
        node.containerd()
            .ctrOk(
                "containers",
                "ls",
                "-q",
                // one filter, its conditions joined by commas: all must hold
                "labels.\"io.kubernetes.pod.uid\"=="
                    + pod.getMetadata().getUid()
                    + ",labels.\"io.cri-containerd.kind\"==sandbox");
    List<String> ids = out.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    assertThat(ids).as("sandbox of " + pod.getMetadata().getName()).hasSize(1);
    return ids.get(0);
  }

  private static void apply(String name, String spec) throws Exception {
    Path file = node.dir().resolve(name + ".yaml");
    Files.writeString(
        file,
        "apiVersion: kube-rmi.io/v1alpha1\nkind: ImageRemoval\nmetadata:\n  name: "
            + name
            + "\nspec:\n  "
            + spec
            + "\n");
    kubectl("apply", "-f", file.toString());
  }

  private static String daemonError(Sh.Result docker) {
    return docker.err().trim().replace("Error response from daemon: ", "");
  }

  /** A prune's result lines as docker prints them (lower case). */
  private static List<String> pruneLines(NodeResult result) {
    List<String> lines = new ArrayList<>();
    for (ImageResult r : result.getResults()) {
      r.getUntagged().forEach(u -> lines.add("untagged: " + u));
      r.getDeleted().forEach(d -> lines.add("deleted: " + d));
    }
    return lines;
  }

  private static Pod awaitRunning(String namespace, String name) {
    long deadline = System.nanoTime() + POD_LIMIT.toNanos();
    Pod p = null;
    while (System.nanoTime() < deadline) {
      p = admin.pods().inNamespace(namespace).withName(name).get();
      if (p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        return p;
      Sleep.millis(250);
    }
    throw new AssertionError(
        name
            + " not Running: "
            + admin.getKubernetesSerialization().asYaml(p)
            + "\n"
            + node.logs());
  }

  /** Imports images of the twin daemon into the node's containerd, as the same archive. */
  private static void moveToNode(String... images) {
    Path archive = node.dir().resolve("images-" + System.nanoTime() + ".tar");
    List<String> save = new ArrayList<>(List.of("save", "-o", archive.toString()));
    save.addAll(List.of(images));
    twin.dockerOk(save.toArray(String[]::new));
    node.containerd().importImages(archive);
  }

  /** The result's lines as docker prints them: each image's Untagged, then its Deleted lines. */
  private static List<String> dockerLines(NodeResult result) {
    List<String> lines = new ArrayList<>();
    for (ImageResult r : result.getResults()) {
      r.getUntagged().forEach(u -> lines.add("Untagged: " + u));
      r.getDeleted().forEach(d -> lines.add("Deleted: " + d));
    }
    return lines;
  }

  private static String kubectl(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(UpstreamBinaries.program("kubectl").toString());
    cmd.add("--kubeconfig=" + userKubeconfig);
    cmd.addAll(List.of(args));
    return Sh.run(cmd, Map.of(), null, Duration.ofMinutes(1)).orThrow().out();
  }

  private static ImageRemoval awaitFinished(String name) {
    return await(
        name,
        r ->
            r != null
                && r.getStatus() != null
                && r.getStatus().getPhase() != null
                && r.getStatus().getPhase() != RemovalPhase.Pending
                && r.getStatus().getPhase() != RemovalPhase.Running);
  }

  private static ImageRemoval await(String name, Predicate<ImageRemoval> done) {
    long deadline = System.nanoTime() + POD_LIMIT.toNanos();
    ImageRemoval r = null;
    while (System.nanoTime() < deadline) {
      r = admin.resources(ImageRemoval.class).withName(name).get();
      if (done.test(r)) return r;
      Sleep.millis(250);
    }
    throw new AssertionError(
        name
            + " not finished within "
            + POD_LIMIT
            + ": "
            + (r == null ? "absent" : admin.getKubernetesSerialization().asYaml(r))
            + "\n"
            + node.logs());
  }

  private static NodeResult nodeResult(ImageRemoval r) {
    return r.getStatus().getNodes().stream()
        .filter(n -> n.getName().equals(KubeletNode.NAME))
        .findFirst()
        .orElseThrow(() -> new AssertionError(admin.getKubernetesSerialization().asYaml(r)));
  }

  private static Pod awaitReadyPod(String component) {
    return awaitReadyPod(component, null);
  }

  /** A Ready pod of the chart's component, not being deleted, other than {@code notUid}. */
  private static Pod awaitReadyPod(String component, String notUid) {
    long deadline = System.nanoTime() + POD_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (Pod p :
          admin
              .pods()
              .inNamespace(ControlPlane.NAMESPACE)
              .withLabel("app.kubernetes.io/component", component)
              .list()
              .getItems()) {
        if (p.getMetadata().getDeletionTimestamp() != null
            || p.getMetadata().getUid().equals(notUid)) {
          continue;
        }
        List<PodCondition> conditions =
            p.getStatus() == null ? List.of() : p.getStatus().getConditions();
        if (conditions != null
            && conditions.stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))) {
          return p;
        }
      }
      Sleep.millis(500);
    }
    throw new AssertionError(
        "no Ready "
            + component
            + " pod within "
            + POD_LIMIT
            + ": "
            + admin
                .getKubernetesSerialization()
                .asYaml(admin.pods().inNamespace(ControlPlane.NAMESPACE).list())
            + "\n"
            + node.logs());
  }
}
