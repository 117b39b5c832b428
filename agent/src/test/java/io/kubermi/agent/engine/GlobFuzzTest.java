package io.kubermi.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random globs against random texts: the matcher agrees with a plain dynamic-programming
 * matcher on every short case, and answers the longest ones allowed (512-character globs,
 * 4,096-character texts) within a second each.
 */
class GlobFuzzTest {
  private static final long SEED = 20261207L;
  private final Random random = new Random(SEED);

  private String draw(String alphabet, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    return s.toString();
  }

  /** Whether the whole text matches, by the textbook table: obviously right, quadratic. */
  private static boolean byTable(String glob, String text) {
    boolean[][] m = new boolean[glob.length() + 1][text.length() + 1];
    m[0][0] = true;
    for (int p = 1; p <= glob.length(); p++) {
      char g = glob.charAt(p - 1);
      for (int t = 0; t <= text.length(); t++) {
        if (g == '*') m[p][t] = m[p - 1][t] || (t > 0 && m[p][t - 1]);
        else if (t > 0) m[p][t] = m[p - 1][t - 1] && (g == '?' || g == text.charAt(t - 1));
      }
    }
    return m[glob.length()][text.length()];
  }

  @Test
  void agreesWithTheTableOnFiveThousandShortCases() {
    int matched = 0;
    for (int i = 0; i < 5000; i++) {
      String glob = draw("ab*?", random.nextInt(12));
      String text = draw("ab", random.nextInt(16));
      boolean expected = byTable(glob, text);
      assertThat(Glob.of(glob).matches(text)).as("%s against %s", glob, text).isEqualTo(expected);
      if (expected) matched++;
    }
    assertThat(matched).as("both answers occur").isBetween(100, 4900);
  }

  @Test
  void theLongestGlobsAndTextsAreAnsweredInBoundedTime() {
    for (int i = 0; i < 2000; i++) {
      String glob = draw("a*?/", 1 + random.nextInt(512)) + "z";
      String text = "a/".repeat(random.nextInt(2048));
      assertTimeoutPreemptively(Duration.ofSeconds(1), () -> Glob.of(glob).matches(text));
    }
  }
}
