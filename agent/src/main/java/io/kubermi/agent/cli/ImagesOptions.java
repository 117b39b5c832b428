package io.kubermi.agent.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The flags of {@code kube-rmi images} and its help. */
@Command(
    name = "kube-rmi images",
    sortOptions = false,
    description = {
      "List this machine's images as kube-rmi sees them: ID, references and size; with"
          + " --last-used, when a container last used each one, by the record the node's agent"
          + " keeps.",
      ""
    },
    footer = {"", "Exit codes: 0 done, 1 an engine error or no last-use record, 2 usage error."})
final class ImagesOptions {
  @Option(
      names = "--last-used",
      description =
          "Add LAST USED (running, a time, or never) and UNUSED FOR, the age prune's --unused-for"
              + " compares.")
  boolean lastUsed;

  @Option(
      names = "--node-folder",
      paramLabel = "PATH",
      description =
          "The agent's node folder, holding its last-use record (default: ${DEFAULT-VALUE}).")
  Path nodeFolder = Path.of(NodeFolder.DEFAULT);

  @Mixin EngineAddressOptions engine = new EngineAddressOptions();

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Print this help.")
  boolean help;

  @Parameters(hidden = true)
  List<String> arguments = new ArrayList<>();
}
