package io.kubermi.agent.cli;

import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.ImageBytesTarget;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.PrunePolicy;
import io.kubermi.agent.engine.Pruner;
import io.kubermi.agent.engine.rules.PruneOp;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.lastuse.LastUseRecord;
import io.kubermi.api.ImageBytesReport;
import io.kubermi.api.ImageResult;
import io.kubermi.api.Outcome;
import io.kubermi.api.prune.InvalidFilterException;
import io.kubermi.api.prune.PruneFilters;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kube-rmi prune}: docker image prune on this machine's engine, no Kubernetes, printing what
 * {@code docker image prune -f} prints ({@code Deleted Images:}, {@code untagged:}/{@code deleted:}
 * lines, {@code Total reclaimed space:}), with its errors and exit codes for bad filters. {@code
 * --exclude} and {@code --dry-run} are kube-rmi's own.
 */
public final class PruneCommand {
  /** docker's CLI exits 125 when it refuses its own flags. */
  static final int EXIT_FLAGS = 125;

  private PruneCommand() {}

  /** The command's help, every flag explained. */
  public static String help() {
    return CommandLines.help(new PruneOptions());
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (CommandLines.asksForHelp(args)) {
      out.print(help());
      return 0;
    }
    PruneArguments a;
    PruneFilters filters;
    try {
      a = PruneArguments.parse(args, System.getenv("DOCKER_HOST"));
    } catch (RmiArguments.UsageException e) {
      err.println("kube-rmi prune: " + e.getMessage());
      err.println("See 'kube-rmi prune --help'.");
      return RmiCommand.EXIT_USAGE;
    }
    try {
      filters =
          PruneFilters.ofCommandLine(a.all(), a.filters(), Instant.now(), ZoneId.systemDefault());
    } catch (InvalidFilterException e) {
      if (e.getMessage().startsWith("bad format")) {
        err.println(
            "invalid argument \""
                + a.filters().stream().filter(f -> !f.contains("=")).findFirst().orElse("")
                + "\" for \"--filter\" flag: "
                + e.getMessage());
        return EXIT_FLAGS;
      }
      err.println("Error response from daemon: " + e.getMessage());
      return 1;
    }
    LastUseRecord lastUse = null;
    try {
      if (a.unusedFor() != null || a.imageBytesHigh() != null) {
        lastUse = NodeFolder.lastUse(a.nodeFolder());
      }
    } catch (NodeFolder.NoRecord e) {
      err.println("kube-rmi prune: " + e.getMessage());
      return 1;
    }
    ProtectedImages protectedImages = new ProtectedImages(ProtectedImages.DEFAULT_PATTERNS);
    try (Engine engine =
        LocalEngine.open(a.dockerHost(), a.containerdAddress(), protectedImages, true)) {
      ImageStoreModel store = engine.listing();
      Instant now = Instant.now();
      if (lastUse != null) lastUse.observe(store, now);
      PrunePolicy policy = new PrunePolicy(a.keepNewest(), a.unusedFor(), lastUse, now);
      List<PruneOp> ops = Pruner.plan(store, engine, filters, a.exclude(), policy);
      ImageBytesReport report = null;
      long selecting = 0; // what the thresholds' measuring dry run added to the engine's count
      if (a.imageBytesHigh() != null) {
        long start = engine.reclaimableBytes();
        ImageBytesTarget.Within within =
            ImageBytesTarget.within(
                engine, store, ops, a.imageBytesHigh(), a.imageBytesLow(), lastUse, now);
        selecting = engine.reclaimableBytes() - start;
        ops = within.ops();
        report = within.report();
      }
      List<ImageResult> results = Pruner.run(engine, ops, a.dryRun());
      long bytes = a.dryRun() ? engine.reclaimableBytes() - selecting : engine.reclaimedBytes();
      int exit = print(results, bytes, a.dryRun(), out, err);
      if (report != null) {
        report.setAfter(a.dryRun() ? report.getBefore() - bytes : engine.imageBytes());
        out.println(imageBytesLine(report, a.dryRun()));
      }
      return exit;
    } catch (EngineException e) {
      err.println(e.getMessage());
      return 1;
    }
  }

  /**
   * A node's image bytes around a prune with thresholds, in one line: before and after, or that
   * they were at or under the high mark and nothing was selected.
   */
  public static String imageBytesLine(ImageBytesReport report, boolean dryRun) {
    if (!Boolean.TRUE.equals(report.getAboveHigh())) {
      return "Image bytes: "
          + HumanSize.of(report.getBefore())
          + ", at or under the high mark: nothing selected";
    }
    return "Image bytes: "
        + HumanSize.of(report.getBefore())
        + " before, "
        + (report.getAfter() == null ? "?" : HumanSize.of(report.getAfter()))
        + (dryRun ? " after, if it ran" : " after");
  }

  /** Prints the report as docker image prune -f does; an engine error exits 1 after it. */
  static int print(
      List<ImageResult> results, long reclaimed, boolean dryRun, PrintStream out, PrintStream err) {
    int exit = printAsDocker(results, reclaimed, dryRun, out, err);
    if (dryRun) err.println("(dry run: nothing was removed)");
    return exit;
  }

  /**
   * One node's report as docker image prune -f prints it, a dry run's total worded as what it would
   * free; errors on {@code err}, exit 1 after any.
   */
  public static int printAsDocker(
      List<ImageResult> results, long reclaimed, boolean dryRun, PrintStream out, PrintStream err) {
    List<String> lines = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (ImageResult r : results) {
      if (r.getOutcome() == Outcome.Removed) {
        r.getUntagged().forEach(u -> lines.add("untagged: " + u));
        r.getDeleted().forEach(d -> lines.add("deleted: " + d));
      } else {
        errors.add("Error response from daemon: " + r.getMessage());
      }
    }
    if (!lines.isEmpty()) {
      out.println("Deleted Images:");
      lines.forEach(out::println);
      out.println();
    }
    // A dry run's total is what the prune would free, said so in words docker never prints.
    out.println(
        (dryRun ? "Total reclaimable space: " : "Total reclaimed space: ")
            + HumanSize.of(reclaimed));
    out.flush();
    errors.forEach(err::println);
    return errors.isEmpty() ? 0 : 1;
  }
}
