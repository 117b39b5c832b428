package io.kubermi.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubermi.api.ImageResult;
import io.kubermi.api.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RmiCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int print(List<ImageResult> results, boolean force) {
    return RmiCommand.print(
        results,
        force,
        false,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static ImageResult removed(String image, String untagged, String deleted) {
    return new ImageResult(
        image,
        Outcome.Removed,
        List.of(untagged),
        deleted == null ? List.of() : List.of(deleted),
        null);
  }

  private static ImageResult failed(String image, Outcome outcome, String message) {
    return new ImageResult(image, outcome, List.of(), List.of(), message);
  }

  @Test
  void printsItemsInOrderAndErrorsAtTheEnd() {
    int exit =
        print(
            List.of(
                removed("a:1", "a:1", "sha256:aa"),
                failed("nothere", Outcome.NotFound, "No such image: nothere:latest"),
                removed("b:1", "b:1", null)),
            false);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("Untagged: a:1\nDeleted: sha256:aa\nUntagged: b:1\n");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("Error response from daemon: No such image: nothere:latest\n");
    assertThat(exit).isEqualTo(1);
  }

  @Test
  void forceWithOnlyNotFoundExitsZero() {
    assertThat(
            print(
                List.of(failed("nothere", Outcome.NotFound, "No such image: nothere:latest")),
                true))
        .isZero();
  }

  @Test
  void forceWithAConflictStillFails() {
    assertThat(
            print(
                List.of(
                    failed("x", Outcome.NotFound, "No such image: x:latest"),
                    failed("y", Outcome.Conflict, "conflict: ...")),
                true))
        .isEqualTo(1);
  }

  @Test
  void platformsTakeCommaListsAndRepeats() throws Exception {
    RmiArguments a =
        RmiArguments.parse(
            new String[] {
              "-f", "--platform", "linux/amd64,linux/ppc64le", "--platform=linux/arm64/v8", "img"
            },
            null);
    assertThat(a.platforms()).containsExactly("linux/amd64", "linux/ppc64le", "linux/arm64/v8");
    assertThat(a.force()).isTrue();
    assertThat(a.images()).containsExactly("img");
  }

  @Test
  void dockerHostDefaultsLikeDocker() throws Exception {
    assertThat(RmiArguments.parse(new String[] {"x"}, null).dockerHost())
        .isEqualTo("unix:///var/run/docker.sock");
    assertThat(RmiArguments.parse(new String[] {"x"}, "unix:///tmp/d.sock").dockerHost())
        .isEqualTo("unix:///tmp/d.sock");
    assertThat(
            RmiArguments.parse(
                    new String[] {"--docker-host", "tcp://h:2375", "x"}, "unix:///tmp/d.sock")
                .dockerHost())
        .isEqualTo("tcp://h:2375");
  }

  @Test
  void usageErrors() {
    assertThatThrownBy(() -> RmiArguments.parse(new String[] {}, null))
        .hasMessageContaining("requires at least 1 argument");
    assertThatThrownBy(() -> RmiArguments.parse(new String[] {"--bogus", "x"}, null))
        .hasMessageContaining("unknown flag: --bogus");
    assertThatThrownBy(() -> RmiArguments.parse(new String[] {"x", "--platform"}, null))
        .hasMessageContaining("needs an argument");
    assertThat(
            RmiCommand.run(
                new String[] {"-f", "--platform", "Linux", "x"},
                new PrintStream(out),
                new PrintStream(err)))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--platform: invalid value \"Linux\"");
  }

  @Test
  void argumentsAfterDoubleDashAreImages() throws Exception {
    assertThat(RmiArguments.parse(new String[] {"--", "-f"}, null).images()).containsExactly("-f");
  }

  /** Schemes the Docker client cannot open are a usage error naming the flag, not a stack trace. */
  @Test
  void anUnsupportedDockerHostIsAUsageError() {
    for (String host : List.of("http://x", "ssh://user@host", "unix://", "tcp://host", "x")) {
      int exit =
          RmiCommand.run(
              new String[] {"--docker-host", host, "busybox"},
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      assertThat(exit).as(host).isEqualTo(RmiCommand.EXIT_USAGE);
      assertThat(err.toString(StandardCharsets.UTF_8))
          .contains("kube-rmi rmi: --docker-host: invalid value \"" + host + "\"")
          .doesNotContain("Exception");
    }
  }

  @Test
  void supportedDockerHostsAreTakenAsGiven() throws Exception {
    assertThat(RmiArguments.dockerHost("tcp://127.0.0.1:2375", null, null))
        .isEqualTo("tcp://127.0.0.1:2375");
    assertThat(RmiArguments.dockerHost(null, null, "unix:///tmp/d.sock"))
        .isEqualTo("unix:///tmp/d.sock");
    assertThat(RmiArguments.dockerHost(null, null, null)).isEqualTo("unix:///var/run/docker.sock");
    assertThat(RmiArguments.dockerHost(null, "/run/containerd.sock", "ssh://x")).isNull();
    assertThatThrownBy(() -> RmiArguments.dockerHost(null, null, "ssh://x"))
        .hasMessageStartingWith("DOCKER_HOST: invalid value \"ssh://x\"");
  }
}
