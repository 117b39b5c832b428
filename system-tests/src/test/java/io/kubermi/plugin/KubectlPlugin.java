package io.kubermi.plugin;

import io.kubermi.controlplane.ControlPlane;
import io.kubermi.controlplane.UpstreamBinaries;
import io.kubermi.testing.Sh;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real kubectl finding kube-rmi's plugins on PATH (the repository's {@code plugins/}), as the
 * person {@link ControlPlane#USER} with the kubeconfig a test gives.
 */
final class KubectlPlugin {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private final Path kubeconfig;
  private final Path plugins;

  private KubectlPlugin(Path kubeconfig, Path plugins) {
    this.kubeconfig = kubeconfig;
    this.plugins = plugins;
  }

  static KubectlPlugin asUser(ControlPlane controlPlane) throws IOException {
    return new KubectlPlugin(
        controlPlane.kubeconfig("plugin-user", controlPlane.userToken()), ROOT.resolve("plugins"));
  }

  /** Finding the plugins in that folder instead (where krew links them). */
  KubectlPlugin withPluginsFrom(Path folder) {
    return new KubectlPlugin(kubeconfig, folder);
  }

  Sh.Result run(String... args) {
    List<String> command = new ArrayList<>(List.of("kubectl"));
    command.addAll(List.of(args));
    return Sh.run(
        command,
        Map.of(
            "PATH",
            plugins + ":" + UpstreamBinaries.require() + ":" + System.getenv("PATH"),
            "KUBECONFIG",
            kubeconfig.toString(),
            "KUBE_RMI_CDS",
            "0"),
        null,
        Duration.ofMinutes(3));
  }

  /** A stream's lines per {@code node <name>:} block, in order; other lines under "". */
  static Map<String, List<String>> blocks(String output) {
    Map<String, List<String>> blocks = new LinkedHashMap<>();
    String node = "";
    for (String line : output.lines().toList()) {
      if (line.startsWith("node ") && line.endsWith(":")) {
        node = line.substring("node ".length(), line.length() - 1);
        blocks.put(node, new ArrayList<>());
      } else if (line.startsWith("imageremoval/")) {
        blocks.computeIfAbsent("", k -> new ArrayList<>()).add(line);
        node = "";
      } else {
        blocks.computeIfAbsent(node, k -> new ArrayList<>()).add(line);
      }
    }
    return blocks;
  }
}
