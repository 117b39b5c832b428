package io.kubermi.agent.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The flags of {@code kube-rmi rmi}, as docker rmi spells them, and its help. */
@Command(
    name = "kube-rmi rmi",
    sortOptions = false,
    description = {
      "Remove one or more images from this machine's engine, exactly as docker rmi does: the same"
          + " Untagged:/Deleted: lines, the same errors and exit code. No Kubernetes.",
      ""
    },
    footer = {
      "",
      "Images protected by the agent's defaults (pause images, kube-rmi's own, images of"
          + " kube-system pods' containers) are never removed, even with --force.",
      "Exit codes: 0 all removed, 1 any image failed or was not found (as docker rmi), 2 usage"
          + " error."
    })
final class RmiOptions {
  @Option(
      names = {"-f", "--force"},
      description =
          "Untag an image with several references, or used by a stopped container, as docker rmi"
              + " --force.")
  boolean force;

  @Option(names = "--no-prune", description = "Do not delete untagged parents.")
  boolean noPrune;

  @Option(
      names = "--platform",
      paramLabel = "PLATFORM",
      description =
          "Remove only this platform's variant (os[/arch[/variant]]); repeatable or"
              + " comma-separated.")
  List<String> platforms = new ArrayList<>();

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

  @Parameters(paramLabel = "IMAGE", description = "Images, as docker rmi takes them.")
  List<String> images = new ArrayList<>();
}
