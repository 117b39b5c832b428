package io.kubermi.agent.cli;

/**
 * A Docker host as the Docker client here can open it: {@code unix:///PATH} or {@code
 * tcp://HOST:PORT}. Anything else (http://, ssh://, a bare path) is refused with a message naming
 * the setting, never handed to the client to fail on with a stack trace.
 */
public final class DockerHostSetting {
  private DockerHostSetting() {}

  /**
   * The value, when the client can open it.
   *
   * @param name the flag or variable it came from, for the message
   * @throws IllegalArgumentException naming the setting and the value
   */
  public static String check(String value, String name) {
    boolean supported = value.matches("unix:///.+") || value.matches("tcp://[^/\\s]+:\\d{1,5}/?");
    if (!supported) {
      throw new IllegalArgumentException(
          name + ": invalid value \"" + value + "\": unix:///PATH or tcp://HOST:PORT");
    }
    return value;
  }
}
