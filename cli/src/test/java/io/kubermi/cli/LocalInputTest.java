package io.kubermi.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local -f} given what is not a removal file: a usage error (exit 2) naming the file and
 * why, before any engine or cluster is started; never a stack trace, never a read without end.
 */
@Timeout(10)
class LocalInputTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  @TempDir Path dir;

  private int local(Path file) {
    return Main.run(
        new String[] {"local", "-f", file.toString(), "--simulated"},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String said() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aPruneByLastUseWithoutTheNodesRecordSaysWhereItLooked() throws Exception {
    Path file = dir.resolve("r.yaml");
    Files.writeString(
        file,
        """
        apiVersion: kube-rmi.io/v1alpha1
        kind: ImageRemoval
        metadata:
          name: unused-week
        spec:
          prune: {all: true, unusedFor: 168h}
        """);
    int exit =
        Main.run(
            new String[] {
              "local", "-f", file.toString(), "--simulated", "--node-folder", dir.toString()
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(exit).isEqualTo(1);
    assertThat(said())
        .isEqualTo(
            "kube-rmi local: spec.prune.unusedFor and imageBytes: no last-use record at "
                + dir.resolve("last-use")
                + ": the node's agent keeps it while it runs with a node folder (--node-folder)\n");
  }

  @Test
  void aNameThatIsAPathIsRefused() throws Exception {
    Path file = dir.resolve("r.yaml");
    Files.writeString(
        file,
        """
        apiVersion: kube-rmi.io/v1alpha1
        kind: ImageRemoval
        metadata:
          name: ../../etc/x
        spec:
          images: [test1:latest]
        """);
    assertThat(local(file)).isEqualTo(2);
    assertThat(said())
        .contains("metadata.name: invalid value \"../../etc/x\"")
        .contains("RFC 1123")
        .doesNotContain("\tat ");
  }

  @Test
  void aDeviceIsRefusedUnread() {
    assertThat(local(Path.of("/dev/zero"))).isEqualTo(2);
    assertThat(said()).contains("/dev/zero: not a regular file");
  }

  @Test
  void aFolderIsRefused() {
    assertThat(local(dir)).isEqualTo(2);
    assertThat(said()).contains(dir + ": not a regular file");
  }

  @Test
  void aFifoIsRefusedWithoutWaitingOnIt() throws Exception {
    Path fifo = dir.resolve("fifo.yaml");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    assertThat(local(fifo)).isEqualTo(2);
    assertThat(said()).contains("not a regular file");
  }

  @Test
  void aFileOverTheBoundIsRefusedUnread() throws Exception {
    Path big = dir.resolve("big.yaml");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(64L * 1024 * 1024);
    }
    assertThat(local(big)).isEqualTo(2);
    assertThat(said()).contains("bigger than 1048576 bytes");
  }

  @Test
  void aMissingFileIsSaidSo() {
    assertThat(local(dir.resolve("nope.yaml"))).isEqualTo(2);
    assertThat(said()).contains("nope.yaml: no such file");
  }

  @Test
  void dockerHostFromTheEnvironmentIsUsedAsDockerUsesItAndCheckedLikeTheFlag() {
    String[] args = {"-f", "r.yaml"};
    assertThat(LocalCommand.Arguments.parse(args, "unix:///run/user/1000/docker.sock").dockerHost())
        .isEqualTo("unix:///run/user/1000/docker.sock");
    assertThat(
            LocalCommand.Arguments.parse(new String[] {"-f", "r.yaml", "--simulated"}, "unix:///x")
                .dockerHost())
        .as("an engine flag wins")
        .isNull();
    assertThat(
            LocalCommand.Arguments.parse(
                    new String[] {"-f", "r.yaml", "--docker-host", "tcp://127.0.0.1:2375"},
                    "unix:///x")
                .dockerHost())
        .isEqualTo("tcp://127.0.0.1:2375");
    assertThatThrownBy(() -> LocalCommand.Arguments.parse(args, "ssh://me@host"))
        .hasMessage(
            "DOCKER_HOST: invalid value \"ssh://me@host\": unix:///PATH or tcp://HOST:PORT");
  }
}
