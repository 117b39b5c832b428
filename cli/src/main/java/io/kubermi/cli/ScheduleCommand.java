package io.kubermi.cli;

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

/**
 * {@code kube-rmi schedule -f FILE}: checks each ImageRemovalSchedule of the file as the operator
 * would (its cron expression, time zone and template) and prints its next scheduled times in its
 * time zone, before it ever reaches a cluster.
 */
final class ScheduleCommand {
  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx");
  static final String USAGE = "Usage: kube-rmi schedule -f FILE [--count N] [--from TIME]";

  private ScheduleCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    String file = null;
    int count = 5;
    Instant from = Instant.now();
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "-f", "--filename" -> file = value(args, ++i, "-f");
          case "--count" -> count = count(value(args, ++i, "--count"));
          case "--from" -> from = instant(value(args, ++i, "--from"));
          default -> throw new IllegalArgumentException("unknown argument \"" + args[i] + "\"");
        }
      }
      if (file == null) throw new IllegalArgumentException("-f FILE is required");
    } catch (IllegalArgumentException e) {
      err.println("kube-rmi schedule: " + e.getMessage());
      err.println(USAGE);
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

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) throw new IllegalArgumentException(flag + " needs a value");
    return args[i];
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
