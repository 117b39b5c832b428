package io.kubermi.runtime;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Reads the typed settings both processes take from their environment (the chart renders it). */
public final class EnvSettings {
  private EnvSettings() {}

  /**
   * A port number 0..65535 under {@code key}, or {@code fallback} when unset; a clear error naming
   * the key otherwise.
   */
  public static int port(Map<String, String> env, String key, int fallback) {
    String v = env.get(key);
    if (v == null) return fallback;
    try {
      int p = Integer.parseInt(v);
      if (p < 0 || p > 65535) throw new NumberFormatException();
      return p;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key + ": invalid value \"" + v + "\": a port number 0..65535");
    }
  }

  /**
   * Whole seconds 1..3600 under {@code key}, or {@code fallback} when unset; a clear error naming
   * the key otherwise.
   */
  public static Duration seconds(Map<String, String> env, String key, Duration fallback) {
    String v = env.get(key);
    if (v == null) return fallback;
    try {
      int s = Integer.parseInt(v);
      if (s < 1 || s > 3600) throw new NumberFormatException();
      return Duration.ofSeconds(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key + ": invalid value \"" + v + "\": whole seconds 1..3600");
    }
  }

  /** A comma-separated list, blanks dropped. */
  public static List<String> list(String s) {
    return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  /**
   * Parks the calling thread until the process is stopped: the services run on their own threads.
   */
  public static int blockUntilStopped() {
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
