package io.kubermi.cli;

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

  static int run(String[] args, PrintStream out, PrintStream err) {
    String file = null;
    String dockerHost = null;
    String containerd = null;
    boolean simulated = false;
    String node = "local";
    String format = "text";
    long timeout = 600;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "-f", "--filename" -> file = value(args, ++i, args[i - 1]);
          case "--docker-host" -> dockerHost = value(args, ++i, args[i - 1]);
          case "--containerd-address" -> containerd = value(args, ++i, args[i - 1]);
          case "--simulated" -> simulated = true;
          case "--node-name" -> node = value(args, ++i, args[i - 1]);
          case "-o", "--output" -> format = value(args, ++i, args[i - 1]);
          case "--timeout" -> timeout = Long.parseLong(value(args, ++i, args[i - 1]));
          default -> throw new IllegalArgumentException("unknown argument \"" + args[i] + "\"");
        }
      }
      if (file == null) throw new IllegalArgumentException("-f FILE is required");
      if (!Set.of("text", "yaml", "json").contains(format))
        throw new IllegalArgumentException(
            "-o: invalid value \"" + format + "\": text, yaml or json");
      if (timeout < 1)
        throw new IllegalArgumentException("--timeout: invalid value " + timeout + ": at least 1");
      if ((dockerHost != null ? 1 : 0) + (containerd != null ? 1 : 0) + (simulated ? 1 : 0) > 1) {
        throw new IllegalArgumentException(
            "--docker-host, --containerd-address and --simulated exclude each other");
      }
      if (!node.matches(ReferenceGrammar.NODE_NAME))
        throw new IllegalArgumentException("--node-name: invalid value \"" + node + "\"");
    } catch (NumberFormatException e) {
      err.println("kube-rmi local: --timeout: not a number");
      err.println(USAGE);
      return Main.EXIT_USAGE;
    } catch (IllegalArgumentException e) {
      err.println("kube-rmi local: " + e.getMessage());
      err.println(USAGE);
      return Main.EXIT_USAGE;
    }
    List<ImageRemoval> removals;
    try {
      removals = RemovalFile.read(Path.of(file));
    } catch (RemovalFile.InvalidInput e) {
      err.println("kube-rmi local: invalid input, nothing applied:\n" + e.getMessage());
      return Main.EXIT_USAGE;
    }
    ProtectedImages protectedImages = new ProtectedImages(ProtectedImages.DEFAULT_PATTERNS);
    Engine engine;
    try {
      if (simulated) {
        engine = DemoCommand.docsNode("a");
      } else if (dockerHost != null) {
        engine = new DockerEngine(dockerHost, protectedImages);
      } else if (containerd != null) {
        engine = new ContainerdEngine(containerd.replaceFirst("^unix://", ""), protectedImages);
      } else {
        engine =
            EngineDetector.detect(
                new EngineDetector.Choice(
                    "auto",
                    EngineDetector.CONTAINERD_SOCKETS,
                    EngineDetector.DOCKER_SOCKETS,
                    ContainerdEngine.DEFAULT_NAMESPACE),
                protectedImages);
      }
    } catch (EngineException e) {
      err.println("kube-rmi local: " + e.getMessage());
      return 1;
    }
    LocalRun.Outcome outcome =
        LocalRun.run(Map.of(node, engine), removals, Duration.ofSeconds(timeout), format, out, err);
    return outcome.allFinished() && outcome.allSucceeded() ? 0 : 1;
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) throw new IllegalArgumentException(flag + " needs a value");
    return args[i];
  }
}
