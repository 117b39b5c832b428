package io.kubermi.agent.engine;

/**
 * A glob ({@code *} any run of characters, {@code ?} exactly one, anything else itself) matched
 * without backtracking into earlier stars: one pass that remembers only the last star seen, so a
 * match takes at most (text length × pattern length) steps, whatever the pattern. Runs of {@code *}
 * are merged when the glob is made. A regular expression built from the glob ({@code .*} for each
 * star) instead backtracks into every earlier star on a failing text: {@code **********z} against a
 * long reference without a {@code z} took minutes.
 */
public final class Glob {
  private final String source;
  private final char[] pattern;

  private Glob(String source) {
    this.source = source;
    StringBuilder merged = new StringBuilder(source.length());
    for (int i = 0; i < source.length(); i++) {
      char c = source.charAt(i);
      if (c == '*' && merged.length() > 0 && merged.charAt(merged.length() - 1) == '*') continue;
      merged.append(c);
    }
    this.pattern = merged.toString().toCharArray();
  }

  public static Glob of(String glob) {
    return new Glob(glob);
  }

  /** The glob as it was given. */
  public String source() {
    return source;
  }

  /** Whether the whole text matches. */
  public boolean matches(CharSequence text) {
    int t = 0;
    int p = 0;
    int star = -1; // the pattern position after the last star seen
    int resume = 0; // where in the text that star's run would end next
    while (t < text.length()) {
      if (p < pattern.length && (pattern[p] == '?' || pattern[p] == text.charAt(t))) {
        t++;
        p++;
      } else if (p < pattern.length && pattern[p] == '*') {
        star = ++p;
        resume = t;
      } else if (star >= 0) {
        p = star;
        t = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length && pattern[p] == '*') p++;
    return p == pattern.length;
  }

  @Override
  public String toString() {
    return source;
  }
}
