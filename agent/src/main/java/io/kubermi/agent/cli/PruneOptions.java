package io.kubermi.agent.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
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
      names = "--dry-run",
      description = "Print what would be removed and the space it would free; change nothing.")
  boolean dryRun;

  @Option(
      names = {"-H", "--docker-host"},
      paramLabel = "URI",
      description = "Docker daemon to use (as for rmi).")
  String dockerHost;

  @Option(
      names = "--containerd-address",
      paramLabel = "PATH",
      description = "containerd socket to use instead (the kubelet's: namespace k8s.io).")
  String containerd;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Print this help.")
  boolean help;

  @Parameters(hidden = true)
  List<String> arguments = new ArrayList<>();
}
