package io.kubermi.agent.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The flags of {@code kube-rmi prune}, as docker image prune spells them, and its help. */
@Command(
    name = "kube-rmi prune",
    sortOptions = false,
    description = {
      "Remove unused images from this machine's engine, exactly as docker image prune -f does"
          + " (dangling images only, unless -a), with its Deleted: lines and total.",
      ""
    },
    footer = {"", "Exit codes: 0 done, 1 an engine error, 2 usage error, 125 a malformed filter."})
final class PruneOptions {
  @Option(
      names = {"-a", "--all"},
      description = "Remove every image no container uses, not only dangling ones.")
  boolean all;

  @Option(
      names = {"-f", "--force"},
      description = "Accepted for docker's spelling; there is no prompt.")
  boolean force;

  @Option(
      names = "--filter",
      paramLabel = "FILTER",
      description =
          "until=DURATION|TIME (only images created before it), label=KEY[=VALUE] (only images"
              + " with it), label!=KEY[=VALUE] (only images without it); repeatable.")
  List<String> filters = new ArrayList<>();

  @Option(
      names = "--exclude",
      paramLabel = "GLOB",
      description =
          "Never remove images whose ID or reference matches (* any run of characters, ? one);"
              + " repeatable.")
  List<String> exclude = new ArrayList<>();

  @Option(
      names = "--keep-newest",
      paramLabel = "N",
      description =
          "Never remove the N images created last of each repository (kube-rmi's own; 1 to"
              + " 10000).")
  Integer keepNewest;

  @Option(
      names = "--unused-for",
      paramLabel = "DURATION",
      description =
          "Only images no container has used for at least this long, a Go duration from 1m to"
              + " 87600h (kube-rmi's own), by the last-use record the node's agent keeps in"
              + " --node-folder.")
  String unusedFor;

  @Option(
      names = "--image-bytes-high",
      paramLabel = "BYTES",
      description =
          "Prune only when the engine's images take more than this quantity (e.g. 20Gi), then the"
              + " oldest-unused first until they take at most --image-bytes-low (kube-rmi's own;"
              + " by the last-use record in --node-folder).")
  String imageBytesHigh;

  @Option(
      names = "--image-bytes-low",
      paramLabel = "BYTES",
      description = "Where a prune with --image-bytes-high stops, below it (e.g. 15Gi).")
  String imageBytesLow;

  @Option(
      names = "--node-folder",
      paramLabel = "PATH",
      description =
          "The agent's node folder, holding its last-use record (default: ${DEFAULT-VALUE}).")
  Path nodeFolder = Path.of(NodeFolder.DEFAULT);

  @Option(
      names = "--dry-run",
      description = "Print what would be removed and the space it would free; change nothing.")
  boolean dryRun;

  @Mixin EngineAddressOptions engine = new EngineAddressOptions();

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Print this help.")
  boolean help;

  @Parameters(hidden = true)
  List<String> arguments = new ArrayList<>();
}
