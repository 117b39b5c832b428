package io.kubermi.cli;

import io.kubermi.agent.cli.CommandLines;
import io.kubermi.api.ImageRemovalSchedule;
import io.kubermi.cli.local.RemovalFile;
import io.kubermi.operator.schedule.CronSchedule;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kube-rmi schedule -f FILE}: checks each ImageRemovalSchedule of the file as the operator
 * would (its cron expression, time zone and template) and prints its next scheduled times in its
 * time zone, before it ever reaches a cluster.
 */
final class ScheduleCommand {
  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx");

  @Command(
      name = "kube-rmi schedule",
      sortOptions = false,
      description = {
        "Check the ImageRemovalSchedules of FILE as the operator would (the cron expression, the"
            + " time zone, the template's spec) and print each one's next scheduled times in its"
            + " time zone, with UTC beside them. A wall-clock time that happens twice when clocks"
            + " go back runs once; one that does not exist when they go forward does not run that"
            + " day.",
        ""
      },
      footer = {"", "Exit codes: 0 all valid, 2 invalid input (each problem named by field)."})
  static final class Options {
    @Option(
        names = {"-f", "--filename"},
        paramLabel = "FILE",
        description = "The ImageRemovalSchedules (YAML; at most 1 MiB, a regular file).")
    String file;

    @Option(
        names = "--count",
        paramLabel = "N",
        description = "Times to print for each (1 to 1000, default 5).")
    String count = "5";

    @Option(
        names = "--from",
        paramLabel = "TIME",
        description =
            "Print the times after this instant (RFC 3339 in UTC, e.g. 2027-03-27T00:00:00Z;"
                + " default now).")
    String from;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Print this help.")
    boolean help;
  }

  private ScheduleCommand() {}

  static String help() {
    return CommandLines.help(new Options());
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (CommandLines.asksForHelp(args)) {
      out.print(help());
      return 0;
    }
    String file;
    int count;
    Instant from;
    try {
      Options o = CommandLines.parse(new Options(), args);
      if (o.file == null) throw new IllegalArgumentException("-f FILE is required");
      file = o.file;
      count = count(o.count);
      from = o.from == null ? Instant.now() : instant(o.from);
    } catch (IllegalArgumentException e) {
      err.println("kube-rmi schedule: " + e.getMessage());
      err.println("See 'kube-rmi schedule --help'.");
      return Main.EXIT_USAGE;
    }
    List<ImageRemovalSchedule> schedules;
    try {
      schedules = RemovalFile.readSchedules(Path.of(file));
    } catch (RemovalFile.InvalidInput e) {
      err.println("kube-rmi schedule: invalid input:\n" + e.getMessage());
      return Main.EXIT_USAGE;
    }
    for (ImageRemovalSchedule s : schedules) print(s, from, count, out);
    return 0;
  }

  private static void print(ImageRemovalSchedule s, Instant from, int count, PrintStream out) {
    String zone = s.getSpec().effectiveTimeZone();
    CronSchedule cron = CronSchedule.parse(s.getSpec().getSchedule(), zone);
    out.println(
        "imageremovalschedule/"
            + s.getMetadata().getName()
            + ": \""
            + s.getSpec().getSchedule()
            + "\" in "
            + zone
            + (s.getSpec().isSuspend() ? " (suspended: no run is created)" : "")
            + "; next runs:");
    Instant t = from;
    for (int i = 0; i < count; i++) {
      Optional<Instant> next = cron.nextAfter(t);
      if (next.isEmpty()) break;
      t = next.get();
      out.println("  " + LOCAL.format(t.atZone(ZoneId.of(zone))) + "  (" + t + ")");
    }
  }

  private static int count(String v) {
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= 1000) return n;
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException("--count: invalid value \"" + v + "\": 1 to 1000");
  }

  private static Instant instant(String v) {
    try {
      return Instant.parse(v);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "--from: invalid value \""
              + v
              + "\": an RFC 3339 time in UTC, e.g. 2027-03-27T00:00:00Z");
    }
  }
}
