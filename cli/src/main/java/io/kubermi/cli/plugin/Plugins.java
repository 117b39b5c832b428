package io.kubermi.cli.plugin;

import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;

/** The kubectl plugins, run from the launcher: {@code kube-rmi kubectl-rmi ARGS}. */
public final class Plugins {
  private Plugins() {}

  /** Whether the launcher command names a plugin. */
  public static boolean isPlugin(String command) {
    return command.equals("kubectl-rmi") || command.equals("kubectl-image-prune");
  }

  public static int run(String command, String[] args, PrintStream out, PrintStream err) {
    PluginCommand plugin =
        command.equals("kubectl-rmi") ? new KubectlRmi(out, err) : new KubectlImagePrune(out, err);
    CommandLine line =
        new CommandLine(plugin)
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .setExecutionExceptionHandler(
                (e, cl, parsed) -> {
                  // A bug of kube-rmi's, told in one line as every command tells one.
                  err.println(plugin.commandName() + ": unexpected error: " + e);
                  return 1;
                })
            .setParameterExceptionHandler(
                (e, a) -> {
                  e.getCommandLine().getErr().println(plugin.commandName() + ": " + e.getMessage());
                  e.getCommandLine().getErr().println("See '" + plugin.commandName() + " --help'.");
                  return PluginCommand.EXIT_USAGE;
                });
    return line.execute(args);
  }
}
