package io.kubermi.agent.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command lines of kube-rmi's own commands, parsed by picocli from annotated classes, with
 * docker's words for what docker's CLI refuses too ({@code unknown flag: --x}, {@code flag needs an
 * argument: --x}); a flag given twice keeps its last value, as docker's does.
 */
public final class CommandLines {
  private CommandLines() {}

  /**
   * The command's fields set from the arguments; an IllegalArgumentException says what is wrong.
   */
  public static <T> T parse(T command, String[] args) {
    try {
      line(command).parseArgs(args);
      return command;
    } catch (CommandLine.UnmatchedArgumentException e) {
      List<String> unmatched = e.getUnmatched();
      String first = unmatched.isEmpty() ? "" : unmatched.get(0);
      throw new IllegalArgumentException(
          first.startsWith("-")
              ? "unknown flag: " + first
              : "unexpected argument \"" + first + "\"");
    } catch (CommandLine.MissingParameterException e) {
      List<ArgSpec> missing = e.getMissing();
      if (!missing.isEmpty() && missing.get(0) instanceof OptionSpec o) {
        throw new IllegalArgumentException("flag needs an argument: " + o.longestName());
      }
      throw new IllegalArgumentException(e.getMessage());
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  /** Whether the arguments ask for help: -h or --help before any "--". */
  public static boolean asksForHelp(String[] args) {
    for (String a : args) {
      if (a.equals("--")) return false;
      if (a.equals("-h") || a.equals("--help")) return true;
    }
    return false;
  }

  /** The command's help: its synopsis, description, every flag explained, and exit codes. */
  public static String help(Object command) {
    return line(command).getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  private static CommandLine line(Object command) {
    return new CommandLine(command)
        .setOverwrittenOptionsAllowed(true)
        .setUsageHelpWidth(100)
        .setUsageHelpAutoWidth(false);
  }
}
