package io.kubermi.agent.engine.docker;

/** The docker CLI of the package the test daemons come from. */
final class DockerDaemonAccess {
  private DockerDaemonAccess() {}

  static String cli() {
    return "/usr/bin/docker";
  }
}
