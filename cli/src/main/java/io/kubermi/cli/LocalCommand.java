package io.kubermi.cli;

import io.kubermi.agent.cli.DockerHostSetting;
import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.EngineDetector;
import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.containerd.ContainerdEngine;
import io.kubermi.agent.engine.docker.DockerEngine;
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

/**
 * {@code kube-rmi local -f FILE [--docker-host URI | --containerd-address PATH | --simulated]
 * [--node-name NAME] [-o text|yaml|json] [--timeout SECONDS]}: this machine as a one-node cluster.
 * Exit 0 all Succeeded, 1 any Failed or timed out, 2 bad usage or invalid input (nothing applied).
 */
final class LocalCommand {
  static final String USAGE =
      "Usage: kube-rmi local -f FILE [--docker-host URI | --containerd-address PATH | --simulated] "
          + "[--node-name NAME] [-o text|yaml|json] [--timeout SECONDS]";

  private LocalCommand() {}

  /**
   * The parsed command line; {@link #parse} refuses what is invalid, naming the flag and the value.
   */
  record Arguments(
      String file,
      String dockerHost,
      String containerd,
      boolean simulated,
      String node,
      String format,
      long timeout) {
    static Arguments parse(String[] args) {
      return parse(args, System.getenv("DOCKER_HOST"));
    }

    /** With DOCKER_HOST's value, used as docker uses it when no engine flag is given. */
    static Arguments parse(String[] args, String dockerHostEnv) {
      String file = null;
      String dockerHost = null;
      String containerd = null;
      boolean simulated = false;
      String node = "local";
      String format = "text";
      long timeout = 600;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "-f", "--filename" -> file = value(args, ++i, args[i - 1]);
          case "--docker-host" -> dockerHost = value(args, ++i, args[i - 1]);
          case "--containerd-address" -> containerd = value(args, ++i, args[i - 1]);
          case "--simulated" -> simulated = true;
          case "--node-name" -> node = value(args, ++i, args[i - 1]);
          case "-o", "--output" -> format = value(args, ++i, args[i - 1]);
          case "--timeout" -> timeout = timeout(value(args, ++i, args[i - 1]));
          default -> throw new IllegalArgumentException("unknown argument \"" + args[i] + "\"");
        }
      }
      if (dockerHost != null) {
        DockerHostSetting.check(dockerHost, "--docker-host");
      } else if (containerd == null
          && !simulated
          && dockerHostEnv != null
          && !dockerHostEnv.isBlank()) {
        dockerHost = DockerHostSetting.check(dockerHostEnv, "DOCKER_HOST");
      }
      Arguments a = new Arguments(file, dockerHost, containerd, simulated, node, format, timeout);
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

  static int run(String[] args, PrintStream out, PrintStream err) {
    Arguments a;
    try {
      a = Arguments.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("kube-rmi local: " + e.getMessage());
      err.println(USAGE);
      return Main.EXIT_USAGE;
    }
    List<ImageRemoval> removals;
    try {
      removals = RemovalFile.read(Path.of(a.file()));
    } catch (RemovalFile.InvalidInput e) {
      err.println("kube-rmi local: invalid input, nothing applied:\n" + e.getMessage());
      return Main.EXIT_USAGE;
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

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) throw new IllegalArgumentException(flag + " needs a value");
    return args[i];
  }
}
