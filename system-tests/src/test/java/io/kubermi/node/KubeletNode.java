package io.kubermi.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.kubermi.controlplane.ControlPlane;
import io.kubermi.controlplane.ManagedProcess;
import io.kubermi.controlplane.UpstreamBinaries;
import io.kubermi.testing.EngineRequirements;
import io.kubermi.testing.OciLayout;
import io.kubermi.testing.Sh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Kubernetes node on this machine, with a control plane of its own: kube-apiserver, etcd,
 * kube-controller-manager and kube-scheduler ({@link ControlPlane#startForNode}), a kubelet
 * registered as {@value #NAME} with the Node authorizer's identity, the containerd 2.x build
 * serving it through CRI ({@link CriContainerd}), pods on a bridge of the test's ({@link
 * NodeNetwork}), and kube-proxy (iptables) so that the pods reach the API server through its
 * Service. Everything lives under one temporary folder and is stopped and removed by {@link
 * #close}: the pods' processes, the mounts under the folder, kube-proxy's rules, the bridge.
 *
 * <p>What this machine's sandbox required, and the kubelet settings that answer it: cgroup v1 only
 * ({@code failCgroupV1: false}, the cgroupfs driver, no QoS cgroups), no {@code CAP_SYS_RESOURCE}
 * (containerd's {@code restrict_oom_score_adj}). The kubelet's own image garbage collection is off
 * (thresholds at 100 %), so only the tests remove images.
 */
public final class KubeletNode implements AutoCloseable {
  public static final String NAME = "node-1";
  private static final Duration READY_LIMIT = Duration.ofMinutes(2);

  private final Path dir;
  private final Path bin = UpstreamBinaries.require();
  private final List<ManagedProcess> processes = new ArrayList<>();
  private NodeNetwork network;
  private ControlPlane controlPlane;
  private CriContainerd containerd;

  private KubeletNode(Path dir) {
    this.dir = dir;
  }

  /** Starts the control plane and the node; returns when the Node is Ready and untainted. */
  public static KubeletNode start() {
    for (String program : List.of("kubelet", "kube-scheduler", "kube-proxy")) {
      UpstreamBinaries.program(program); // fails (or skips off CI) with the reason when missing
    }
    EngineRequirements.require("docker"); // root, and the daemon the images are built on
    if (!Files.isExecutable(NodeNetwork.CNI_PLUGINS.resolve("bridge"))) {
      String missing =
          "no CNI plugins in "
              + NodeNetwork.CNI_PLUGINS
              + ": apt-get install -y containernetworking-plugins iptables";
      if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(missing);
      System.err.println("!!! SKIPPING real node test: " + missing);
      Assumptions.abort(missing);
    }
    KubeletNode node;
    try {
      node = new KubeletNode(Files.createTempDirectory(Path.of("/tmp"), "krmi-node-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      node.startAll();
      return node;
    } catch (IOException | RuntimeException e) {
      String logs = node.logs();
      node.close();
      throw new IllegalStateException("the node did not start: " + e.getMessage() + "\n" + logs, e);
    }
  }

  private void startAll() throws IOException {
    network = NodeNetwork.create();
    controlPlane = ControlPlane.startForNode(NodeNetwork.GATEWAY, NAME);
    String admin = controlPlane.kubeconfig("admin", controlPlane.adminToken()).toString();
    controlPlane.startProcess(
        "kube-scheduler",
        List.of(
            bin.resolve("kube-scheduler").toString(),
            "--kubeconfig=" + admin,
            "--leader-elect=false",
            "--secure-port=0"));
    containerd = CriContainerd.start(dir.resolve("containerd"), network);
    OciLayout.Result pause =
        OciLayout.build(dir.resolve("images"), CriContainerd.SANDBOX_IMAGE, List.of("linux/amd64"));
    containerd.importImages(pause.archive());
    Files.writeString(dir.resolve("kubelet.yaml"), kubeletConfig());
    start(
        "kubelet",
        bin.resolve("kubelet").toString(),
        "--config=" + dir.resolve("kubelet.yaml"),
        "--kubeconfig=" + controlPlane.kubeconfig("kubelet", controlPlane.nodeToken()),
        "--root-dir=" + dir.resolve("kubelet"),
        "--hostname-override=" + NAME,
        "--node-ip=" + NodeNetwork.GATEWAY);
    start(
        "kube-proxy",
        bin.resolve("kube-proxy").toString(),
        "--kubeconfig=" + admin,
        "--proxy-mode=iptables",
        "--hostname-override=" + NAME,
        "--cluster-cidr=" + NodeNetwork.SUBNET,
        "--conntrack-max-per-core=0", // leave the machine's conntrack table size alone
        "--metrics-bind-address=127.0.0.1:" + freePort(),
        "--healthz-bind-address=127.0.0.1:" + freePort());
    awaitReady();
  }

  private String kubeletConfig() {
    return """
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        failCgroupV1: false
        cgroupDriver: cgroupfs
        cgroupsPerQOS: false
        enforceNodeAllocatable: []
        containerRuntimeEndpoint: unix://%s
        podLogsDir: %s
        address: 127.0.0.1
        port: %d
        readOnlyPort: 0
        healthzPort: 0
        authentication: {anonymous: {enabled: false}, webhook: {enabled: false}}
        authorization: {mode: AlwaysAllow}
        failSwapOn: false
        imageGCHighThresholdPercent: 100
        imageGCLowThresholdPercent: 99
        evictionHard: {memory.available: 1Mi, nodefs.available: 1%%, imagefs.available: 1%%}
        resolvConf: ""
        serializeImagePulls: false
        """
        .formatted(containerd.socket(), dir.resolve("pod-logs"), freePort());
  }

  private static int freePort() {
    try {
      return ControlPlane.freePort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void start(String name, String... command) {
    processes.add(new ManagedProcess(name, List.of(command), dir.resolve(name + ".log")).start());
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      Node n = controlPlane.admin().nodes().withName(NAME).get();
      if (n != null
          && ready(n)
          && (n.getSpec().getTaints() == null || n.getSpec().getTaints().isEmpty())) {
        return;
      }
      processes.forEach(
          p -> {
            if (!p.isAlive()) throw new IllegalStateException(p.name() + " exited");
          });
      Sleep.millis(250);
    }
    throw new IllegalStateException(
        "node " + NAME + " not Ready and untainted within " + READY_LIMIT);
  }

  private static boolean ready(Node n) {
    List<NodeCondition> conditions = n.getStatus() == null ? null : n.getStatus().getConditions();
    return conditions != null
        && conditions.stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  public ControlPlane controlPlane() {
    return controlPlane;
  }

  CriContainerd containerd() {
    return containerd;
  }

  /** A folder of this node's for a test's files (removed with the node). */
  public Path dir() {
    return dir;
  }

  /** What each program logged last, for a failure's report; the pods' logs too. */
  public String logs() {
    StringBuilder out = new StringBuilder();
    processes.forEach(p -> out.append(p.tail(25)).append('\n'));
    if (containerd != null) out.append(containerd.tail(25)).append('\n');
    if (controlPlane != null) out.append(controlPlane.logs()).append('\n');
    Path podLogs = dir.resolve("pod-logs");
    if (Files.isDirectory(podLogs)) {
      try (Stream<Path> files = Files.walk(podLogs)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          List<String> lines = Files.readAllLines(f);
          out.append(f).append(":\n");
          lines
              .subList(Math.max(0, lines.size() - 25), lines.size())
              .forEach(l -> out.append(l).append('\n'));
        }
      } catch (IOException e) {
        out.append("pod logs unreadable: ").append(e.getMessage());
      }
    }
    return out.toString();
  }

  @Override
  public void close() {
    try {
      for (int i = processes.size() - 1; i >= 0; i--) processes.get(i).close();
      if (containerd != null) containerd.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // kube-proxy's own clean-up of the rules it made, then the kubelet's chains
    Sh.run(List.of(bin.resolve("kube-proxy").toString(), "--cleanup"));
    removeKubeletChains();
    unmountUnder(dir);
    if (network != null) network.close();
    if (controlPlane != null) controlPlane.close();
    deleteTree(dir);
  }

  /**
   * The chains the kubelet makes in each table (its canary, a hint for kube-proxy, and a firewall
   * chain that INPUT and OUTPUT jump to), which it never removes.
   */
  private static void removeKubeletChains() {
    List<String> chains = List.of("KUBE-FIREWALL", "KUBE-KUBELET-CANARY", "KUBE-IPTABLES-HINT");
    for (String iptables : List.of("iptables", "ip6tables")) {
      for (String table : List.of("mangle", "nat", "filter")) {
        String rules = Sh.run(List.of(iptables, "-t", table, "-S")).out();
        for (String rule : rules.lines().toList()) {
          String[] words = rule.split(" ");
          if (words.length == 4 && words[0].equals("-A") && chains.contains(words[3])) {
            Sh.run(List.of(iptables, "-t", table, "-D", words[1], "-j", words[3]));
          }
        }
        for (String chain : chains) {
          if (rules.contains("-N " + chain + "\n")) {
            Sh.run(List.of(iptables, "-t", table, "-F", chain));
            Sh.run(List.of(iptables, "-t", table, "-X", chain));
          }
        }
      }
    }
  }

  /**
   * The volumes, network namespaces and root file systems mounted under the folder, deepest first.
   */
  private static void unmountUnder(Path dir) {
    try {
      List<String> mounts =
          Files.readAllLines(Path.of("/proc/self/mounts")).stream()
              .map(l -> l.split(" ")[1])
              .filter(m -> m.startsWith(dir.toString()))
              .sorted(Comparator.comparing(String::length).reversed())
              .toList();
      for (String m : mounts) Sh.run(List.of("umount", "-l", m));
    } catch (IOException e) {
      System.err.println("node: could not read the mounts: " + e.getMessage());
    }
  }

  private static void deleteTree(Path dir) {
    Sh.run(List.of("rm", "-rf", "--one-file-system", dir.toString()));
  }
}
