package io.kubermi.node;

import io.kubermi.controlplane.ManagedProcess;
import io.kubermi.testing.ContainerdBuild;
import io.kubermi.testing.ContainerdDaemon;
import io.kubermi.testing.Sh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The node's container runtime: the containerd 2.x that {@code upstream/build.sh} builds, with its
 * CRI plugin serving the kubelet, everything under one folder of the test's (root, state, sockets,
 * runc's state, the pods' network namespaces, the CNI configuration). Its sandbox image is {@link
 * #SANDBOX_IMAGE}, made locally, since no registry is reachable.
 */
final class CriContainerd implements AutoCloseable {
  static final String SANDBOX_IMAGE = "kube-rmi.test/pause:1";
  static final String NAMESPACE = "k8s.io";

  private final Path dir;
  private final Path binaries = ContainerdBuild.upstreamBinaries();
  private ManagedProcess process;

  private CriContainerd(Path dir) {
    this.dir = dir;
  }

  static CriContainerd start(Path dir, NodeNetwork network) throws IOException {
    CriContainerd c = new CriContainerd(dir);
    Files.createDirectories(dir.resolve("cni"));
    Files.writeString(
        dir.resolve("cni/10-kube-rmi-test.conflist"), network.cniConfig(dir.resolve("ipam")));
    Files.writeString(dir.resolve("config.toml"), c.config());
    c.process =
        new ManagedProcess(
                "containerd",
                List.of(
                    "/usr/bin/env",
                    // containerd finds the runc shim built with it on PATH
                    "PATH=" + c.binaries + ":" + System.getenv("PATH"),
                    c.binaries.resolve("containerd").toString(),
                    "--config",
                    dir.resolve("config.toml").toString()),
                dir.resolve("containerd.log"))
            .start();
    c.awaitReady();
    return c;
  }

  /**
   * containerd's own defaults with these changes: its folders and sockets under {@link #dir}, no
   * drop-in files of the machine, NRI off (its socket has a fixed path), the local sandbox image,
   * Debian's CNI plugins with the node's network, and {@code restrict_oom_score_adj}: the kubelet
   * asks for an OOM score of -998 for pod sandboxes, and lowering one needs {@code
   * CAP_SYS_RESOURCE}, which this machine's sandbox withholds even from root (runc then fails with
   * "failed to update /proc/self/oom_score_adj: Permission denied").
   */
  private String config() {
    String defaults =
        Sh.run(List.of(binaries.resolve("containerd").toString(), "config", "default"))
            .orThrow()
            .out();
    Map<String, String> replaced =
        Map.ofEntries(
            Map.entry("root = '/var/lib/containerd'", "root = '" + dir.resolve("root") + "'"),
            Map.entry("state = '/run/containerd'", "state = '" + dir.resolve("state") + "'"),
            Map.entry(
                "address = '/run/containerd/containerd.sock'", "address = '" + socket() + "'"),
            Map.entry(
                "address = '/run/containerd/containerd.sock.ttrpc'",
                "address = '" + socket() + ".ttrpc'"),
            Map.entry("path = '/opt/containerd'", "path = '" + dir.resolve("opt") + "'"),
            Map.entry(
                "sandbox = 'registry.k8s.io/pause:3.10.2'", "sandbox = '" + SANDBOX_IMAGE + "'"),
            Map.entry(
                "bin_dirs = ['/opt/cni/bin']", "bin_dirs = ['" + NodeNetwork.CNI_PLUGINS + "']"),
            Map.entry("conf_dir = '/etc/cni/net.d'", "conf_dir = '" + dir.resolve("cni") + "'"),
            Map.entry("restrict_oom_score_adj = false", "restrict_oom_score_adj = true"),
            Map.entry(
                "netns_mounts_under_state_dir = false", "netns_mounts_under_state_dir = true"),
            Map.entry("Root = ''", "Root = '" + dir.resolve("runc") + "'"));
    StringBuilder out = new StringBuilder();
    List<String> unmatched = new ArrayList<>(replaced.keySet());
    String section = "";
    for (String line : defaults.split("\n", -1)) {
      String t = line.trim();
      if (t.startsWith("[")) section = t;
      String indent = line.substring(0, line.length() - line.stripLeading().length());
      if (replaced.containsKey(t)) {
        line = indent + replaced.get(t);
        unmatched.remove(t);
      } else if (section.isEmpty() && t.startsWith("imports = ")) {
        line = "imports = []";
      } else if (section.equals("[plugins.'io.containerd.nri.v1.nri']")
          && t.startsWith("disable = ")) {
        line = indent + "disable = true";
      }
      out.append(line).append('\n');
    }
    if (!unmatched.isEmpty()) {
      throw new IllegalStateException(
          "containerd's default configuration changed; not found: " + unmatched);
    }
    return out.toString();
  }

  private void awaitReady() throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) break;
      if (Files.exists(socket()) && ctr("version").exit() == 0) return;
      Sleep.millis(100);
    }
    throw new IllegalStateException("containerd did not start\n" + process.tail(40));
  }

  Path socket() {
    return dir.resolve("c.sock");
  }

  String version() {
    return ContainerdBuild.upstreamBinaries().getFileName().toString().replace("containerd-", "");
  }

  /** ctr in the kubelet's namespace. */
  Sh.Result ctr(String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                binaries.resolve("ctr").toString(), "-a", socket().toString(), "-n", NAMESPACE));
    cmd.addAll(Arrays.asList(args));
    return Sh.run(cmd, Map.of(), null, Duration.ofMinutes(5));
  }

  String ctrOk(String... args) {
    return ctr(args).orThrow().out().trim();
  }

  /**
   * Imports an archive and waits until the CRI plugin has taken in every image: it labels each
   * {@code io.cri-containerd.image=managed} from the image events, and an image deleted before its
   * event is handled is created again by that handler (it reads the image, then creates the name
   * with the label). The kubelet's own pulls carry the label from the start.
   */
  void importImages(Path archive) {
    ctrOk("images", "import", archive.toString());
    ContainerdDaemon.awaitCriLabels(() -> ctrOk("images", "ls"));
  }

  /** The image names in the kubelet's namespace. */
  List<String> imageNames() {
    return ctrOk("images", "ls", "-q").lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
  }

  String tail(int lines) {
    return process.tail(lines);
  }

  /** Stops every task (the pods' processes) and their shims, then containerd. */
  @Override
  public void close() throws InterruptedException {
    if (process == null) return;
    if (process.isAlive()) {
      for (String task : ctr("tasks", "ls", "-q").out().lines().toList()) {
        if (task.isBlank()) continue;
        ctr("tasks", "kill", "-s", "SIGKILL", task.trim());
      }
      Sleep.millis(500);
      for (String task : ctr("tasks", "ls", "-q").out().lines().toList()) {
        if (!task.isBlank()) ctr("tasks", "delete", "-f", task.trim());
      }
    }
    process.close();
    // A shim outlives containerd; each names our socket on its command line.
    Sh.run(List.of("pkill", "-9", "-f", "containerd-shim-runc-v2 .*" + socket()));
  }
}
