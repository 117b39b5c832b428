package io.kubermi.agent;

import io.kubermi.agent.cli.ImagesCommand;
import io.kubermi.agent.cli.PruneCommand;
import io.kubermi.agent.cli.RmiCommand;
import io.kubermi.runtime.Logging;
import java.util.Arrays;

/**
 * Entry point of the agent image: {@code agent} (the DaemonSet's process) or {@code rmi} (docker
 * rmi on this node's engine, for a debugging session in the agent's pod).
 */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) {
    String command = args.length == 0 ? "" : args[0];
    Logging.configure(command.equals("agent"));
    String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
    int exit =
        switch (command) {
          case "agent" -> AgentCommand.run(System.getenv(), System.err);
          case "rmi" -> RmiCommand.run(rest, System.out, System.err);
          case "prune" -> PruneCommand.run(rest, System.out, System.err);
          case "images" -> ImagesCommand.run(rest, System.out, System.err);
          default -> {
            System.err.println(
                "Usage: kube-rmi agent | kube-rmi rmi [-f] [--no-prune] [--platform P]... [--dry-run] IMAGE..."
                    + " | kube-rmi prune [-a] [--filter F]... [--exclude GLOB]... [--dry-run]"
                    + " | kube-rmi images [--last-used]");
            yield AgentCommand.EXIT_USAGE;
          }
        };
    System.exit(exit);
  }
}
