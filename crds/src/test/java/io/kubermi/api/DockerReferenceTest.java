package io.kubermi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubermi.api.reference.DockerReference;
import io.kubermi.api.reference.InvalidReferenceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DockerReferenceTest {
  @ParameterizedTest
  @CsvSource({
    "busybox, docker.io/library/busybox, busybox",
    "busybox:1.36, docker.io/library/busybox:1.36, busybox:1.36",
    "user/app:1, docker.io/user/app:1, user/app:1",
    "library/busybox, docker.io/library/busybox, busybox",
    "docker.io/library/foo/bar:1, docker.io/library/foo/bar:1, library/foo/bar:1",
    "index.docker.io/x/y, docker.io/x/y, x/y",
    "localhost:5000/test/busybox:latest, localhost:5000/test/busybox:latest, localhost:5000/test/busybox:latest",
    "localhost/app, localhost/app, localhost/app",
    "sha256:abc, docker.io/library/sha256:abc, sha256:abc"
  })
  void normalizesAsDocker(String input, String normalized, String familiar) throws Exception {
    DockerReference r = DockerReference.parseNormalizedNamed(input);
    assertThat(r.toString()).isEqualTo(normalized);
    assertThat(r.familiarString()).isEqualTo(familiar);
  }

  @Test
  void bareNameGetsLatestAndTagDigestKeepsBoth() throws Exception {
    assertThat(DockerReference.parseNormalizedNamed("busybox").withDefaultTag().familiarString())
        .isEqualTo("busybox:latest");
    String d = "sha256:" + "c".repeat(64);
    DockerReference r = DockerReference.parseNormalizedNamed("a:1@" + d);
    assertThat(r.withDefaultTag().familiarString()).isEqualTo("a:1@" + d);
    assertThat(r.withoutTag().familiarString()).isEqualTo("a@" + d);
  }

  @Test
  void refusesWithDockersMessages() {
    assertThatThrownBy(() -> DockerReference.parseNormalizedNamed("Busybox"))
        .hasMessage(DockerReference.ERR_UPPERCASE);
    assertThatThrownBy(() -> DockerReference.parseNormalizedNamed("a?b"))
        .hasMessage(DockerReference.ERR_FORMAT);
    // Docker 20.10 reads an uppercase first component without '.' or ':' as part of the repository.
    assertThatThrownBy(() -> DockerReference.parseNormalizedNamed("Foo/bar:1"))
        .hasMessage(DockerReference.ERR_UPPERCASE);
    assertThatThrownBy(() -> DockerReference.parseNormalizedNamed("f".repeat(64)))
        .hasMessageContaining("cannot specify 64-byte hexadecimal strings");
    assertThatThrownBy(() -> DockerReference.parseNormalizedNamed("n".repeat(250)))
        .hasMessage(DockerReference.ERR_TOO_LONG);
  }

  /**
   * References of thousands of components, on a thread with the agent's 256 KiB stack: refused with
   * docker's message, never a StackOverflowError.
   */
  @ParameterizedTest
  @CsvSource({"a/, 2000", "a-, 2000", "a., 200", "a__, 2000"})
  void longReferencesAreRefusedWithoutOverflowingASmallStack(String unit, int times)
      throws Exception {
    assertThat(parsedOnASmallStack(unit.repeat(times) + "a"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessage(DockerReference.ERR_TOO_LONG);
  }

  @Test
  void aLongDigestAlgorithmIsRefusedWithoutOverflowingASmallStack() throws Exception {
    assertThat(parsedOnASmallStack("app@" + "a+".repeat(2000) + "a:" + "0".repeat(64)))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessage(DockerReference.ERR_FORMAT);
  }

  /** What parsing the reference threw on a thread with the agent's stack size (null: nothing). */
  private static Throwable parsedOnASmallStack(String reference) throws InterruptedException {
    Throwable[] thrown = new Throwable[1];
    Thread small =
        new Thread(
            null,
            () -> {
              try {
                DockerReference.parseNormalizedNamed(reference);
              } catch (Throwable t) {
                thrown[0] = t;
              }
            },
            "small-stack",
            256 * 1024);
    small.start();
    small.join();
    return thrown[0];
  }

  /** As distribution/reference v0.5+ (moby from API 1.44) names the path it read. */
  @Test
  void theNewerDaemonsNameTheRepositoryOfAnUppercaseName() {
    assertThat(DockerReference.uppercaseNaming("Busybox"))
        .isEqualTo("invalid reference format: repository name (library/Busybox) must be lowercase");
    assertThat(DockerReference.uppercaseNaming("docker.io/Busybox:1"))
        .endsWith("(library/Busybox) must be lowercase");
    assertThat(DockerReference.uppercaseNaming("team/App:1"))
        .endsWith("(team/App) must be lowercase");
    assertThat(DockerReference.uppercaseNaming("localhost:5000/team/App"))
        .endsWith("(team/App) must be lowercase");
    assertThat(DockerReference.uppercaseNaming("Team/app")).as("a registry to them").isNull();
  }
}
