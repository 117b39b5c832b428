package io.kubermi.cli;

import io.kubermi.agent.cli.CommandLines;
import io.kubermi.agent.cli.DockerHostSetting;
import io.kubermi.agent.cli.NodeFolder;
import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.EngineDetector;
import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.containerd.ContainerdEngine;
import io.kubermi.agent.engine.docker.DockerEngine;
import io.kubermi.agent.lastuse.LastUseRecord;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.reference.ReferenceGrammar;
import io.kubermi.cli.local.LocalRun;
import io.kubermi.cli.local.RemovalFile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kube-rmi local -f FILE [--docker-host URI | --containerd-address PATH | --simulated]
 * [--node-name NAME] [-o text|yaml|json] [--timeout SECONDS]}: this machine as a one-node cluster.
 * Exit 0 all Succeeded, 1 any Failed or timed out, 2 bad usage or invalid input (nothing applied).
 */
final class LocalCommand {
  @Command(
      name = "kube-rmi local",
      sortOptions = false,
      description = {
        "Run the ImageRemovals of FILE (YAML, one or more documents) through an API server, the"
            + " operator and one agent, all in this process, against this machine's engine, and"
            + " print each node's docker lines. What a cluster would do, with no cluster.",
        ""
      },
      footer = {
        "",
        "Without an engine flag it uses DOCKER_HOST when set (as docker does), else the first"
            + " engine that answers: the kubelet's containerd, then Docker.",
        "Exit codes: 0 all Succeeded, 1 a removal failed, timed out or named an image found on no"
            + " node (as docker rmi), 2 invalid input, nothing applied."
      })
  static final class Options {
    @Option(
        names = {"-f", "--filename"},
        paramLabel = "FILE",
        description = "The ImageRemovals (at most 1 MiB, a regular file).")
    String file;

    @Option(names = "--docker-host", paramLabel = "URI", description = "Use this Docker daemon.")
    String dockerHost;

    @Option(
        names = "--containerd-address",
        paramLabel = "PATH",
        description = "Use this containerd (it must be the kubelet's: namespace k8s.io).")
    String containerd;

    @Option(names = "--simulated", description = "Use a simulated engine (the demo's node).")
    boolean simulated;

    @Option(
        names = "--node-name",
        paramLabel = "NAME",
        description = "The node's name in the statuses (default: local).")
    String node = "local";

    @Option(
        names = "--node-folder",
        paramLabel = "PATH",
        description =
            "The node agent's folder, whose last-use record a prune's unusedFor and imageBytes"
                + " select by"
                + " (default: ${DEFAULT-VALUE}; read only).")
    String nodeFolder = NodeFolder.DEFAULT;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        description =
            "text (per node, docker's lines; default), yaml (a document per removal) or json (a"
                + " v1 List of the removals, however many).")
    String format = "text";

    @Option(
        names = "--timeout",
        paramLabel = "SECONDS",
        description = "Give up after this long (default 600).")
    String timeout = "600";

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Print this help.")
    boolean help;
  }

  private LocalCommand() {}

  static String help() {
    return CommandLines.help(new Options());
  }

  /**
   * The parsed command line; {@link #parse} refuses what is invalid, naming the flag and the value.
   */
  record Arguments(
      String file,
      String dockerHost,
      String containerd,
      boolean simulated,
      String node,
      String nodeFolder,
      String format,
      long timeout) {
    static Arguments parse(String[] args) {
      return parse(args, System.getenv("DOCKER_HOST"));
    }

    /** With DOCKER_HOST's value, used as docker uses it when no engine flag is given. */
    static Arguments parse(String[] args, String dockerHostEnv) {
      Options o = CommandLines.parse(new Options(), args);
      String file = o.file;
      String dockerHost = o.dockerHost;
      String containerd = o.containerd;
      boolean simulated = o.simulated;
      String node = o.node;
      String format = o.format;
      long timeout = timeout(o.timeout);
      if (dockerHost != null) {
        DockerHostSetting.check(dockerHost, "--docker-host");
      } else if (containerd == null
          && !simulated
          && dockerHostEnv != null
          && !dockerHostEnv.isBlank()) {
        dockerHost = DockerHostSetting.check(dockerHostEnv, "DOCKER_HOST");
      }
      Arguments a =
          new Arguments(
              file, dockerHost, containerd, simulated, node, o.nodeFolder, format, timeout);
      a.check();
      return a;
    }

    private void check() {
      if (file == null) throw new IllegalArgumentException("-f FILE is required");
      if (!Set.of("text", "yaml", "json").contains(format)) {
        throw new IllegalArgumentException(
            "-o: invalid value \"" + format + "\": text, yaml or json");
      }
      if (timeout < 1) {
        throw new IllegalArgumentException("--timeout: invalid value " + timeout + ": at least 1");
      }
      if ((dockerHost != null ? 1 : 0) + (containerd != null ? 1 : 0) + (simulated ? 1 : 0) > 1) {
        throw new IllegalArgumentException(
            "--docker-host, --containerd-address and --simulated exclude each other");
      }
      if (!node.matches(ReferenceGrammar.NODE_NAME)) {
        throw new IllegalArgumentException("--node-name: invalid value \"" + node + "\"");
      }
    }

    private static long timeout(String v) {
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--timeout: not a number");
      }
    }
  }

  private static boolean prunesByLastUse(ImageRemoval r) {
    return r.getSpec() != null
        && r.getSpec().getPrune() != null
        && (r.getSpec().getPrune().getUnusedFor() != null
            || r.getSpec().getPrune().getImageBytes() != null);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (CommandLines.asksForHelp(args)) {
      out.print(help());
      return 0;
    }
    Arguments a;
    try {
      a = Arguments.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("kube-rmi local: " + e.getMessage());
      err.println("See 'kube-rmi local --help'.");
      return Main.EXIT_USAGE;
    }
    List<ImageRemoval> removals;
    try {
      removals = RemovalFile.read(Path.of(a.file()));
    } catch (RemovalFile.InvalidInput e) {
      err.println("kube-rmi local: invalid input, nothing applied:\n" + e.getMessage());
      return Main.EXIT_USAGE;
    }
    LastUseRecord lastUse = null;
    if (removals.stream().anyMatch(LocalCommand::prunesByLastUse)) {
      try {
        lastUse = NodeFolder.lastUse(Path.of(a.nodeFolder()));
      } catch (NodeFolder.NoRecord e) {
        err.println("kube-rmi local: spec.prune.unusedFor and imageBytes: " + e.getMessage());
        return 1;
      }
    }
    Engine engine;
    try {
      engine = engine(a);
    } catch (EngineException e) {
      err.println("kube-rmi local: " + e.getMessage());
      return 1;
    }
    LocalRun.Outcome outcome =
        LocalRun.run(
            Map.of(a.node(), engine),
            lastUse,
            removals,
            Duration.ofSeconds(a.timeout()),
            a.format(),
            out,
            err);
    // As docker rmi: 1 when anything failed, and when an image named was not there.
    return outcome.allFinished() && outcome.allSucceeded() && !outcome.anyNotFound() ? 0 : 1;
  }

  /** The engine the flags name, or the one this machine has. */
  private static Engine engine(Arguments a) {
    ProtectedImages protectedImages = new ProtectedImages(ProtectedImages.DEFAULT_PATTERNS);
    if (a.simulated()) {
      return DemoCommand.docsNode("a");
    } else if (a.dockerHost() != null) {
      return new DockerEngine(a.dockerHost(), protectedImages);
    } else if (a.containerd() != null) {
      ContainerdEngine containerd =
          new ContainerdEngine(a.containerd().replaceFirst("^unix://", ""), protectedImages);
      try {
        containerd.requireNamespace();
      } catch (EngineException e) {
        containerd.close();
        throw e;
      }
      return containerd;
    }
    return EngineDetector.detect(
        new EngineDetector.Choice(
            "auto",
            EngineDetector.CONTAINERD_SOCKETS,
            EngineDetector.DOCKER_SOCKETS,
            ContainerdEngine.DEFAULT_NAMESPACE),
        protectedImages);
  }
}
