package io.kubermi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.kubermi.api.ImageRemovalSchedule;
import io.kubermi.api.KubeRmi;
import io.kubermi.cli.local.RemovalFile;
import io.kubermi.operator.schedule.CronSchedule;
import io.kubermi.operator.schedule.ScheduleDecision;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code kube-rmi schedule -f FILE}: checks each ImageRemovalSchedule of the file as the operator
 * would (its cron expression, time zone and template) and prints its next scheduled times in its
 * time zone, before it ever reaches a cluster.
 */
final class ScheduleCommand {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
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
      schedules = read(Path.of(file));
    } catch (RemovalFile.InvalidInput e) {
      err.println("kube-rmi schedule: invalid input:\n" + e.getMessage());
      return Main.EXIT_USAGE;
    }
    for (ImageRemovalSchedule s : schedules) print(s, from, count, out);
    return 0;
  }

  /** Every ImageRemovalSchedule of the file, all valid, or what is wrong with each. */
  static List<ImageRemovalSchedule> read(Path file) throws RemovalFile.InvalidInput {
    String text = RemovalFile.text(file);
    List<ImageRemovalSchedule> schedules = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(text)) {
      int index = 0;
      for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (doc == null || doc.isNull() || doc.isMissingNode()) continue;
        String where = file + " document " + index++;
        if (!KubeRmi.API_VERSION.equals(doc.path("apiVersion").asText())
            || !"ImageRemovalSchedule".equals(doc.path("kind").asText())) {
          problems.add(
              where
                  + ": apiVersion/kind: must be "
                  + KubeRmi.API_VERSION
                  + " ImageRemovalSchedule, not "
                  + doc.path("apiVersion").asText()
                  + " "
                  + doc.path("kind").asText());
          continue;
        }
        ImageRemovalSchedule s = YAML.treeToValue(doc, ImageRemovalSchedule.class);
        String name = s.getMetadata() == null ? null : s.getMetadata().getName();
        if (s.getSpec() == null) {
          problems.add(where + " (" + name + "): spec: required");
          continue;
        }
        for (String p : ScheduleDecision.problems(s.getSpec())) {
          problems.add(where + " (" + name + "): " + p);
        }
        schedules.add(s);
      }
    } catch (IOException e) {
      throw new RemovalFile.InvalidInput(
          file
              + ": not valid YAML for ImageRemovalSchedules: "
              + e.getMessage().lines().findFirst().orElse(""));
    }
    if (!problems.isEmpty()) throw new RemovalFile.InvalidInput(String.join("\n", problems));
    if (schedules.isEmpty())
      throw new RemovalFile.InvalidInput(file + ": no ImageRemovalSchedule in it");
    return schedules;
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
