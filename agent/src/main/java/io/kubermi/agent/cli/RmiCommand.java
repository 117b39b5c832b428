package io.kubermi.agent.cli;

import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.RemovalOptions;
import io.kubermi.api.ImageResult;
import io.kubermi.api.Outcome;
import io.kubermi.api.reference.ReferenceGrammar;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code kube-rmi rmi}: the agent's engine layer from the command line, printing what {@code docker
 * rmi} (the current Docker CLI) prints ({@code Untagged:}/{@code Deleted:} on stdout, errors
 * collected on stderr at the end) with its exit rule: 1 on any error, except that with -f errors
 * that are all "not found" exit 0.
 */
public final class RmiCommand {
  public static final int EXIT_USAGE = 2;
  private static final Pattern PLATFORM = Pattern.compile(ReferenceGrammar.PLATFORM);

  private RmiCommand() {}

  /** The command's help, every flag explained. */
  public static String help() {
    return CommandLines.help(new RmiOptions());
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (CommandLines.asksForHelp(args)) {
      out.print(help());
      return 0;
    }
    RmiArguments a;
    try {
      a = RmiArguments.parse(args, System.getenv("DOCKER_HOST"));
    } catch (RmiArguments.UsageException e) {
      err.println("kube-rmi rmi: " + e.getMessage());
      err.println("See 'kube-rmi rmi --help'.");
      return EXIT_USAGE;
    }
    for (String p : a.platforms()) {
      if (!PLATFORM.matcher(p).matches()) {
        err.println(
            "kube-rmi rmi: --platform: invalid value \""
                + p
                + "\": must be os[/arch[/variant]] in lowercase");
        return EXIT_USAGE;
      }
    }
    RemovalOptions options = new RemovalOptions(a.force(), a.noPrune(), a.platforms(), a.dryRun());
    ProtectedImages protectedImages = new ProtectedImages(ProtectedImages.DEFAULT_PATTERNS);
    // Sizes are read only for a dry run, whose point is to say what it would free; docker rmi
    // itself prints no byte count.
    try (Engine engine =
        LocalEngine.open(a.dockerHost(), a.containerdAddress(), protectedImages, a.dryRun())) {
      List<ImageResult> results = engine.remove(a.images(), options);
      int exit = print(results, a.force(), a.dryRun(), out, err);
      // No figure for a platform variant's removal: its blobs are not predicted.
      if (a.dryRun() && a.platforms().isEmpty()) {
        out.println("Total reclaimable space: " + HumanSize.of(engine.reclaimableBytes()));
      }
      return exit;
    } catch (EngineException e) {
      err.println(e.getMessage());
      return 1;
    }
  }

  /**
   * Prints one node's results as the docker CLI does ({@code Untagged:}/{@code Deleted:} lines on
   * {@code out}, errors on {@code err}) and returns its exit code.
   */
  public static int printAsDocker(
      List<ImageResult> results, boolean force, PrintStream out, PrintStream err) {
    return print(results, force, false, out, err);
  }

  /** Prints results as the docker CLI does and returns its exit code. */
  static int print(
      List<ImageResult> results, boolean force, boolean dryRun, PrintStream out, PrintStream err) {
    List<String> errors = new ArrayList<>();
    boolean fatal = false;
    for (ImageResult r : results) {
      if (r.getOutcome() == Outcome.Removed) {
        r.getUntagged().forEach(u -> out.println("Untagged: " + u));
        r.getDeleted().forEach(d -> out.println("Deleted: " + d));
      } else {
        fatal |= r.getOutcome() != Outcome.NotFound;
        errors.add(errorLine(r));
      }
    }
    out.flush();
    if (dryRun) {
      err.println("(dry run: nothing was removed)");
    }
    if (errors.isEmpty()) {
      return 0;
    }
    err.println(String.join("\n", errors));
    return !force || fatal ? 1 : 0;
  }

  /**
   * The current docker CLI's wording: the daemon's own message for every failure, a missing image
   * included ({@code Error response from daemon: No such image: nothere:latest}); a refusal of
   * kube-rmi's own (a protected image) is not the daemon's, so it says {@code Error:}.
   */
  public static String errorLine(ImageResult r) {
    return r.getOutcome() == Outcome.Protected
        ? "Error: " + r.getMessage()
        : "Error response from daemon: " + r.getMessage();
  }
}
