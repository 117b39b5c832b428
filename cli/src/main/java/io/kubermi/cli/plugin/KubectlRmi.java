package io.kubermi.cli.plugin;

import io.kubermi.api.ImageRemovalSpec;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kubectl rmi}: docker rmi on the cluster's nodes. */
@Command(
    name = "kubectl rmi",
    sortOptions = false,
    usageHelpWidth = 100,
    description = {
      "Remove images from the cluster's nodes as docker rmi removes them on one: creates an"
          + " ImageRemoval, prints each node's docker lines as the node finishes, and exits as"
          + " docker rmi would on the node where it went worst (1 where docker would print an"
          + " error: a conflict, an image the node does not have without -f, a failed node).",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every node removed what docker rmi would have",
      "1:an error on some node, or the wait ran out (the removal goes on)",
      "2:invalid flags or arguments (nothing is created)"
    })
final class KubectlRmi extends PluginCommand {
  @Option(
      order = 1,
      names = {"-f", "--force"},
      description =
          "Force the removal, as docker rmi -f (a running container's image is still kept).")
  boolean force;

  @Option(
      order = 2,
      names = "--no-prune",
      description = "Do not delete untagged parents, as docker rmi.")
  boolean noPrune;

  @Option(
      order = 3,
      names = "--platform",
      split = ",",
      paramLabel = "PLATFORM",
      description =
          "Remove only these platform variants (os[/arch[/variant]], repeated or comma-separated),"
              + " as docker rmi --platform.")
  List<String> platforms = new ArrayList<>();

  @Parameters(
      arity = "1..*",
      paramLabel = "IMAGE",
      description = "Images, as docker rmi takes them.")
  List<String> images = new ArrayList<>();

  KubectlRmi(PrintStream out, PrintStream err) {
    super(out, err);
  }

  @Override
  ImageRemovalSpec spec() {
    ImageRemovalSpec spec = new ImageRemovalSpec();
    spec.setImages(new ArrayList<>(images));
    spec.setForce(force);
    spec.setNoPrune(noPrune);
    spec.setPlatforms(new ArrayList<>(platforms));
    return spec;
  }

  @Override
  String commandName() {
    return "kubectl rmi";
  }

  @Override
  String generatedName() {
    return "rmi-";
  }
}
