package io.kubermi.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {
  @ParameterizedTest(name = "{0} ~ {1}: {2}")
  @CsvSource({
    "registry.k8s.io/pause:*, registry.k8s.io/pause:3.9, true",
    "registry.k8s.io/pause:*, registry.k8s.io/pause, false",
    "*/kube-rmi-*, ghcr.io/kube-rmi/kube-rmi-agent:0.1.0, true",
    "kube-rmi-*, kube-rmi-agent:1, true",
    "kube-rmi-*, x/kube-rmi-agent:1, false",
    "*:stable, app:stable, true",
    "*:stable, app:stable2, false",
    "a?c, abc, true",
    "a?c, ac, false",
    "*, '', true",
    "'', '', true",
    "'', a, false",
    "a**b, ab, true",
    "a*b*c, axxbyyc, true",
    "a*b*c, axxbyy, false",
    "*a*a*a*b, aaaaaaab, true",
    "*.*, a.b, true",
    "[a], [a], true",
    "a+, a+, true",
    "a+, aa, false"
  })
  void matchesAsAGlob(String glob, String text, boolean expected) {
    assertThat(Glob.of(glob).matches(text)).isEqualTo(expected);
  }

  /**
   * The globs that froze the agent as regular expressions, against references of up to 4,000
   * characters that never match: each answered at once.
   */
  @Test
  void hostileGlobsAnswerInBoundedTime() {
    String longRef = "a/".repeat(2000) + "a";
    String[] hostile = {
      "**********z", "********z", "*a*a*a*a*a*a*a*a*a*a*z", "*".repeat(255) + "z"
    };
    assertTimeoutPreemptively(
        Duration.ofSeconds(1),
        () -> {
          for (String g : hostile) {
            assertThat(Glob.of(g).matches(longRef)).as(g).isFalse();
            assertThat(Glob.of(g).matches("a".repeat(255))).as(g).isFalse();
          }
        });
  }

  /** Seeded random globs and texts over a small alphabet: the same answers as a regex. */
  @Test
  void agreesWithARegularExpressionOnRandomSmallCases() {
    Random rnd = new Random(20261207L);
    for (int i = 0; i < 20_000; i++) {
      String glob = random(rnd, "ab*?", 6);
      String text = random(rnd, "ab", 8);
      assertThat(Glob.of(glob).matches(text))
          .as("glob %s, text %s", glob, text)
          .isEqualTo(Pattern.matches(regex(glob), text));
    }
  }

  private static String random(Random rnd, String alphabet, int maxLength) {
    StringBuilder b = new StringBuilder();
    for (int n = rnd.nextInt(maxLength + 1); n > 0; n--) {
      b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  private static String regex(String glob) {
    return glob.replace("?", ".").replace("*", ".*");
  }
}
