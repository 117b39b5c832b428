package io.kubermi.cli;

import io.kubermi.agent.AgentCommand;
import io.kubermi.agent.cli.CommandLines;
import io.kubermi.agent.cli.ImagesCommand;
import io.kubermi.agent.cli.PruneCommand;
import io.kubermi.agent.cli.RmiCommand;
import io.kubermi.cli.plugin.Plugins;
import io.kubermi.operator.OperatorCommand;
import io.kubermi.runtime.Logging;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * Entry point of ./kube-rmi: dispatches to the command. The container images do not run it: each
 * runs its own process's main ({@code OperatorMain}, {@code AgentMain}).
 */
public final class Main {
  static final int EXIT_USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    String command = args.length == 0 ? "" : args[0];
    Logging.configure(command.equals("operator") || command.equals("agent"));
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0
        || args[0].equals("-h")
        || args[0].equals("--help")
        || args[0].equals("help")) {
      usage(args.length == 0 ? err : out);
      return args.length == 0 ? EXIT_USAGE : 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (Plugins.isPlugin(args[0])) return Plugins.run(args[0], rest, out, err);
    if (CommandLines.asksForHelp(rest) && CommandHelp.of(args[0]).isPresent()) {
      // Never starts the command, not even the operator or the agent.
      out.print(CommandHelp.of(args[0]).get());
      return 0;
    }
    if (args[0].equals("operator") || args[0].equals("agent")) return server(args[0], err);
    try {
      return command(args[0], rest, out, err);
    } catch (RuntimeException | StackOverflowError e) {
      // Each command answers bad input with a message and exit 2; this is a bug of kube-rmi's,
      // still told in one line, not a stack trace.
      err.println("kube-rmi " + args[0] + ": unexpected error: " + e);
      return 1;
    }
  }

  private static int server(String command, PrintStream err) {
    return command.equals("operator")
        ? OperatorCommand.run(System.getenv(), err)
        : AgentCommand.run(System.getenv(), err);
  }

  private static int command(String command, String[] rest, PrintStream out, PrintStream err) {
    switch (command) {
      case "rmi":
        return RmiCommand.run(rest, out, err);
      case "prune":
        return PruneCommand.run(rest, out, err);
      case "images":
        return ImagesCommand.run(rest, out, err);
      case "local":
        return LocalCommand.run(rest, out, err);
      case "schedule":
        return ScheduleCommand.run(rest, out, err);
      case "demo":
        return DemoCommand.run(rest, out, err);
      default:
        err.println("kube-rmi: unknown command \"" + command + "\"");
        usage(err);
        return EXIT_USAGE;
    }
  }

  private static void usage(PrintStream s) {
    s.println(
        """
        Usage: kube-rmi COMMAND [ARGS]

        Commands:
          rmi [-f] [--no-prune] [--platform P]... [--dry-run] [--docker-host URI | --containerd-address PATH] IMAGE...
                      docker rmi on this machine's engine, no Kubernetes
          prune [-a] [--filter until=D] [--filter label=K[=V]]... [--filter label!=K[=V]]...
                [--exclude GLOB]... [--keep-newest N] [--unused-for D [--node-folder PATH]]
                [--dry-run] [--docker-host URI | --containerd-address PATH]
                      docker image prune -f on this machine's engine, no Kubernetes
          images [--last-used [--node-folder PATH]] [--docker-host URI | --containerd-address PATH]
                      this machine's images; with --last-used, the node agent's last-use record
          local -f FILE [--docker-host URI | --containerd-address PATH | --simulated] [--node-name NAME]
                [-o text|yaml|json] [--timeout SECONDS]
                      embedded API server + operator + one agent for this machine's engine
          schedule -f FILE [--count N] [--from TIME]
                      check ImageRemovalSchedules as the operator would; print their next runs
          demo [-f FILE]        the whole pipeline on three simulated nodes (examples/demo.yaml)
          kubectl-rmi ARGS, kubectl-image-prune ARGS
                      the kubectl plugins (kubectl rmi, kubectl image-prune): docker rmi and
                      docker image prune on the nodes of the kubeconfig's cluster
          operator              the in-cluster operator (configured from the environment)
          agent                 the in-cluster node agent (NODE_NAME from the downward API)""");
  }
}
