package io.kubermi.agent.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeleteRequestTest {
  @Test
  void flagsAreSentOnlyWhenSetAsTheDockerCliDoes() {
    assertThat(DeleteRequest.path("1.41", "busybox", false, false, List.of()))
        .isEqualTo("/v1.41/images/busybox");
    assertThat(
            DeleteRequest.path(
                "1.41", "localhost:5000/test/busybox@sha256:abc", true, true, List.of()))
        .isEqualTo("/v1.41/images/localhost:5000/test/busybox@sha256:abc?force=1&noprune=1");
  }

  @Test
  void platformsAreJsonInTheQuery() {
    assertThat(
            DeleteRequest.path(
                "1.50",
                "app:1",
                true,
                false,
                List.of("{\"os\":\"linux\",\"architecture\":\"arm64\"}")))
        .isEqualTo(
            "/v1.50/images/app:1?force=1&platforms=%7B%22os%22%3A%22linux%22%2C%22architecture%22%3A%22arm64%22%7D");
  }

  @Test
  void nothingInANameCanReachTheQueryOrFragment() {
    assertThat(DeleteRequest.escapePath("a?force=1#x%2F y\u0000\u00e4[::1]"))
        .isEqualTo("a%3Fforce%3D1%23x%252F%20y%00%C3%A4%5B::1%5D");
    Random rnd = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder s = new StringBuilder();
      for (int n = rnd.nextInt(20); n > 0; n--)
        s.appendCodePoint(rnd.nextInt(rnd.nextBoolean() ? 128 : 0x3000));
      String path = DeleteRequest.path("1.41", s.toString(), false, false, List.of());
      assertThat(path)
          .startsWith("/v1.41/images/")
          .doesNotContain("?", "#", " ")
          .matches("[\\x21-\\x7e]*");
      // every % starts an escape the server decodes back to the original byte
      assertThat(path.replaceAll("%[0-9A-F]{2}", "")).doesNotContain("%");
    }
  }

  @Test
  void apiVersionsCompareNumerically() {
    assertThat(DaemonVersion.compareVersions("1.41", "1.50")).isNegative();
    assertThat(DaemonVersion.compareVersions("1.51", "1.50")).isPositive();
    assertThat(DaemonVersion.compareVersions("1.9", "1.10")).isNegative();
    assertThat(DaemonVersion.compareVersions("1.50", "1.50")).isZero();
  }
}
