package io.kubermi.agent.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs {@code kube-rmi prune} in-process for tests, capturing what it prints. */
public final class PruneCommandAccess {
  public record Output(int exit, String out, String err) {}

  private PruneCommandAccess() {}

  public static Output run(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = PruneCommand.run(args.toArray(String[]::new), o, e);
    }
    return new Output(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
