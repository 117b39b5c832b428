package io.kubermi.agent.journal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The lines of a stream, one at a time, none held longer than a bound: a longer line is skipped and
 * stands as {@link #TOO_LONG}, so a damaged file cannot make its reader hold it whole.
 */
final class BoundedLines implements AutoCloseable {
  /** Stands for a line longer than the bound (compare by identity). */
  static final String TOO_LONG = new String("\u0000line too long");

  private final BufferedReader in;
  private final int maxChars;

  BoundedLines(InputStream in, int maxChars) {
    this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 64 * 1024);
    this.maxChars = maxChars;
  }

  /** The next line without its newline, {@link #TOO_LONG}, or null at the end of the stream. */
  String next() throws IOException {
    StringBuilder line = new StringBuilder();
    boolean tooLong = false;
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        return tooLong ? TOO_LONG : line.toString();
      }
      if (line.length() < maxChars) line.append((char) c);
      else tooLong = true;
    }
    if (line.isEmpty() && !tooLong) return null;
    return tooLong ? TOO_LONG : line.toString();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
