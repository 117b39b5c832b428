package io.kubermi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kube-rmi schedule}: the operator's own check of a schedule, and its next times in its time
 * zone across both of Berlin's 2027 clock changes.
 */
class ScheduleCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  @TempDir Path dir;

  private int run(String... args) {
    return Main.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private Path schedule(String cron) throws Exception {
    Path file = dir.resolve("s.yaml");
    Files.writeString(
        file,
        """
        apiVersion: kube-rmi.io/v1alpha1
        kind: ImageRemovalSchedule
        metadata:
          name: s
        spec:
          schedule: "%s"
          timeZone: Europe/Berlin
          template:
            spec:
              prune: {}
        """
            .formatted(cron));
    return file;
  }

  @Test
  void theNightlyExampleKeepsThreeOClockBerlinTimeAcrossTheSpringChange() {
    assertThat(
            run(
                "schedule",
                "-f",
                "../examples/prune-nightly-schedule.yaml",
                "--from",
                "2027-03-27T00:00:00Z",
                "--count",
                "3"))
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            """
            imageremovalschedule/nightly-dangling: "0 3 * * *" in Europe/Berlin; next runs:
              2027-03-27 03:00 +01:00  (2027-03-27T02:00:00Z)
              2027-03-28 03:00 +02:00  (2027-03-28T01:00:00Z)
              2027-03-29 03:00 +02:00  (2027-03-29T01:00:00Z)
            """);
  }

  @Test
  void aTimeThatDoesNotExistIsSkippedAndOneThatHappensTwiceRunsOnce() throws Exception {
    Path file = schedule("30 2 * * *");
    assertThat(
            run(
                "schedule",
                "-f",
                file.toString(),
                "--from",
                "2027-03-27T00:00:00Z",
                "--count",
                "2"))
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("  2027-03-27 02:30 +01:00  (2027-03-27T01:30:00Z)\n")
        .contains("  2027-03-29 02:30 +02:00  (2027-03-29T00:30:00Z)\n")
        .doesNotContain("2027-03-28");
    out.reset();
    assertThat(
            run(
                "schedule",
                "-f",
                file.toString(),
                "--from",
                "2027-10-30T12:00:00Z",
                "--count",
                "2"))
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("  2027-10-31 02:30 +02:00  (2027-10-31T00:30:00Z)\n")
        .contains("  2027-11-01 02:30 +01:00  (2027-11-01T01:30:00Z)\n")
        .doesNotContain("2027-10-31 02:30 +01:00");
  }

  @Test
  void anInvalidScheduleIsRefusedByFieldAsTheOperatorWould() throws Exception {
    Path file = schedule("0 3 * * * *");
    assertThat(run("schedule", "-f", file.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("(s): spec.schedule: invalid value \"0 3 * * * *\"")
        .doesNotContain("\tat ");
  }

  @Test
  void anImageRemovalIsNotASchedule() {
    assertThat(run("schedule", "-f", "../examples/untag.yaml")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("apiVersion/kind: must be kube-rmi.io/v1alpha1 ImageRemovalSchedule");
  }
}
