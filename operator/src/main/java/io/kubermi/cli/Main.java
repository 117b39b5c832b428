package io.kubermi.cli;

import io.kubermi.agent.cli.RmiCommand;
import java.io.PrintStream;
import java.util.Arrays;

/** Entry point of ./kube-rmi and of the container images: dispatches to the command. */
public final class Main {
  static final int EXIT_USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
      usage(args.length == 0 ? err : out);
      return args.length == 0 ? EXIT_USAGE : 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "rmi":
        return RmiCommand.run(rest, out, err);
      case "local", "demo", "operator", "agent":
        err.println("kube-rmi " + args[0] + ": not built yet (it comes with the cluster-loop issue)");
        return EXIT_USAGE;
      default:
        err.println("kube-rmi: unknown command \"" + args[0] + "\"");
        usage(err);
        return EXIT_USAGE;
    }
  }

  private static void usage(PrintStream s) {
    s.println("""
        Usage: kube-rmi COMMAND [ARGS]

        Commands:
          rmi [-f] [--no-prune] [--platform P]... [--dry-run] [--docker-host URI | --containerd-address PATH] IMAGE...
                      docker rmi on this machine's engine, no Kubernetes
          local -f FILE [...]   embedded API server + operator + agent on this machine (not built yet)
          demo                  the whole pipeline on three simulated nodes (not built yet)
          operator              the in-cluster operator (not built yet)
          agent                 the in-cluster node agent (not built yet)""");
  }
}
