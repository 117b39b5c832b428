package io.kubermi.cli.plugin;

import io.kubermi.api.ImageBytesThreshold;
import io.kubermi.api.ImageRemovalSpec;
import io.kubermi.api.PruneSpec;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kubectl image-prune}: docker image prune -f on the cluster's nodes. */
@Command(
    name = "kubectl image-prune",
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Remove unused images from the cluster's nodes as docker image prune -f does on one:"
          + " creates an ImageRemoval with spec.prune, prints each node's docker lines and space"
          + " reclaimed as the node finishes, then the cluster's total.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every node pruned",
      "1:an error on some node, or the wait ran out (the removal goes on)",
      "2:invalid flags or arguments (nothing is created)"
    })
final class KubectlImagePrune extends PluginCommand {
  @Option(
      order = 1,
      names = {"-a", "--all"},
      description = "Remove all images no container uses, not just dangling ones.")
  boolean all;

  @Option(
      order = 2,
      names = "--filter",
      paramLabel = "FILTER",
      description =
          "As docker's: until=DURATION|TIMESTAMP, label=KEY[=VALUE], label!=KEY[=VALUE];"
              + " repeatable.")
  List<String> filters = new ArrayList<>();

  @Option(
      order = 3,
      names = "--exclude",
      paramLabel = "GLOB",
      description = "Never remove images whose reference matches (kube-rmi's own; repeatable).")
  List<String> exclude = new ArrayList<>();

  @Option(
      order = 4,
      names = "--keep-newest",
      paramLabel = "N",
      description = "Never remove the N images created last of each repository (kube-rmi's own).")
  Integer keepNewest;

  @Option(
      order = 5,
      names = "--unused-for",
      paramLabel = "DURATION",
      description =
          "Only images no container on the node has used for at least this long, e.g. 168h"
              + " (kube-rmi's own; by each node agent's last-use record).")
  String unusedFor;

  @Option(
      order = 6,
      names = "--image-bytes-high",
      paramLabel = "BYTES",
      description =
          "Prune a node only when its engine's images take more than this (e.g. 20Gi), oldest-unused"
              + " first until --image-bytes-low (kube-rmi's own).")
  String imageBytesHigh;

  @Option(
      order = 7,
      names = "--image-bytes-low",
      paramLabel = "BYTES",
      description = "Where a prune with --image-bytes-high stops on each node (e.g. 15Gi).")
  String imageBytesLow;

  @Option(
      order = 8,
      names = {"-f", "--force"},
      description = "Accepted for docker's spelling: nothing asks for confirmation.")
  boolean force;

  KubectlImagePrune(PrintStream out, PrintStream err) {
    super(out, err);
  }

  @Override
  ImageRemovalSpec spec() {
    PruneSpec prune = new PruneSpec();
    prune.setAll(all);
    prune.setExclude(new ArrayList<>(exclude));
    prune.setKeepNewest(keepNewest);
    prune.setUnusedFor(unusedFor);
    if (imageBytesHigh != null || imageBytesLow != null) {
      ImageBytesThreshold threshold = new ImageBytesThreshold();
      threshold.setHigh(imageBytesHigh);
      threshold.setLow(imageBytesLow);
      prune.setImageBytes(threshold);
    }
    for (String filter : filters) {
      int eq = filter.indexOf('=');
      String key = eq < 0 ? filter : filter.substring(0, eq);
      String value = eq < 0 ? "" : filter.substring(eq + 1);
      switch (eq < 0 ? "" : key) {
        case "until" -> {
          if (prune.getUntil() != null) {
            throw new IllegalArgumentException("--filter: more than one until filter");
          }
          prune.setUntil(value);
        }
        case "label" -> prune.getLabels().add(value);
        case "label!" -> prune.getLabelsNot().add(value);
        default ->
            throw new IllegalArgumentException(
                "--filter: invalid filter \""
                    + filter
                    + "\": until=..., label=KEY[=VALUE] or label!=KEY[=VALUE]");
      }
    }
    ImageRemovalSpec spec = new ImageRemovalSpec();
    spec.setPrune(prune);
    return spec;
  }

  @Override
  String commandName() {
    return "kubectl image-prune";
  }

  @Override
  String generatedName() {
    return "image-prune-";
  }
}
