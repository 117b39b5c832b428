package io.kubermi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpListsTheCommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("rmi [-f]", "local -f FILE", "demo", "operator", "agent");
  }

  @Test
  void noCommandOrUnknownCommandIsUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(run("rmx")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command \"rmx\"");
  }

  @Test
  void localWithoutAFileIsAUsageError() {
    assertThat(run("local")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("-f FILE is required");
  }

  @Test
  void rmiIsDispatchedToTheAgentsCommand() {
    assertThat(run("rmi")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("\"kube-rmi rmi\" requires at least 1 argument.");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"rmi", "prune", "images", "local", "schedule", "demo", "operator", "agent"})
  void everyCommandHasHelpAndNothingStarts(String command) {
    assertThat(run(command, "--help")).isZero();
    String help = out.toString(StandardCharsets.UTF_8);
    assertThat(help).startsWith("Usage: kube-rmi " + command);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    out.reset();
    assertThat(run(command, "-h")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(help);
  }

  @Test
  void helpListsEachFlagOfRmi() {
    assertThat(run("rmi", "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains(
            "--force",
            "--no-prune",
            "--platform",
            "--dry-run",
            "--docker-host",
            "--containerd-address");
  }
}
