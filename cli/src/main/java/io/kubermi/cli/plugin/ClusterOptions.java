package io.kubermi.cli.plugin;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubermi.api.ImageRemovalSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** What both plugins take besides docker's own flags: where, which nodes, how to wait and show. */
final class ClusterOptions {
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,6})(s|m|h)");

  @Option(
      order = 20,
      names = {"-l", "--selector"},
      paramLabel = "SELECTOR",
      description =
          "Only nodes whose labels match, written as kubectl's -l (e.g. pool=batch,"
              + " zone in (a,b), !spot).")
  String selector;

  @Option(
      order = 21,
      names = "--nodes",
      split = ",",
      paramLabel = "NODE",
      description =
          "These nodes (comma-separated), in addition to those -l matches. With neither, every"
              + " node the operator does not exclude.")
  List<String> nodes = new ArrayList<>();

  @Option(
      order = 22,
      names = "--dry-run",
      description =
          "Print what each node would remove and the space it would free; change nothing.")
  boolean dryRun;

  @Option(
      order = 23,
      names = "--wait",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Wait for every node and print its lines as it finishes (the default). --no-wait"
              + " prints the ImageRemoval's name and returns.")
  boolean await;

  @Option(
      order = 24,
      names = "--timeout",
      defaultValue = "10m",
      paramLabel = "DURATION",
      description =
          "How long to wait, e.g. 90s, 10m, 1h (default: ${DEFAULT-VALUE}). The removal goes on"
              + " after it.")
  String timeout;

  @Option(
      order = 25,
      names = {"-o", "--output"},
      defaultValue = "text",
      paramLabel = "FORMAT",
      description =
          "text (per node, docker's lines), yaml or json (the finished ImageRemoval, the same"
              + " shape every time).")
  String output;

  @Option(
      order = 26,
      names = "--name",
      paramLabel = "NAME",
      description = "The ImageRemoval's name (default: generated from the command's).")
  String name;

  @Option(
      order = 27,
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "The kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config).")
  String kubeconfig;

  @Option(
      order = 28,
      names = "--context",
      paramLabel = "NAME",
      description = "The kubeconfig context to use (default: the current one).")
  String context;

  /** The wait, checked: a count of seconds, minutes or hours. */
  Duration timeout() {
    Matcher m = DURATION.matcher(timeout);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "--timeout: invalid value \"" + timeout + "\": a duration such as 90s, 10m or 1h");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  void checkOutput() {
    if (!List.of("text", "yaml", "json").contains(output)) {
      throw new IllegalArgumentException(
          "-o/--output: invalid value \"" + output + "\": text, yaml or json");
    }
  }

  /** The targeting and dry run of these options, on the spec. */
  void applyTo(ImageRemovalSpec spec) {
    if (selector != null) spec.setNodeSelector(SelectorText.parse(selector));
    spec.setNodeNames(new ArrayList<>(nodes));
    spec.setDryRun(dryRun);
  }

  /** A client of the cluster kubectl would talk to with the same kubeconfig and context. */
  KubernetesClient client() {
    if (kubeconfig != null) System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig);
    return new KubernetesClientBuilder().withConfig(Config.autoConfigure(context)).build();
  }
}
