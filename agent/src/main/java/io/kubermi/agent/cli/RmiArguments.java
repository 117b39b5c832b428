package io.kubermi.agent.cli;

import java.util.ArrayList;
import java.util.List;

/** The arguments of {@code kube-rmi rmi}, parsed as docker's CLI parses {@code docker rmi}'s. */
record RmiArguments(
    boolean force,
    boolean noPrune,
    List<String> platforms,
    boolean dryRun,
    String dockerHost,
    String containerdAddress,
    List<String> images) {

  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  static RmiArguments parse(String[] args, String dockerHostEnv) throws UsageException {
    RmiOptions o = read(new RmiOptions(), args);
    List<String> platforms = new ArrayList<>();
    for (String v : o.platforms) {
      for (String p : v.split(",")) {
        if (!p.isBlank()) platforms.add(p.trim());
      }
    }
    if (o.images.isEmpty()) {
      throw new UsageException("\"kube-rmi rmi\" requires at least 1 argument.");
    }
    String dockerHost = o.engine.dockerHost(dockerHostEnv);
    return new RmiArguments(
        o.force, o.noPrune, platforms, o.dryRun, dockerHost, o.engine.containerd, o.images);
  }

  /** The command's flags read into its options, or a usage error in docker's words. */
  static <T> T read(T options, String[] args) throws UsageException {
    try {
      return CommandLines.parse(options, args);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /**
   * The Docker host a command talks to: the flag's, else DOCKER_HOST's, else the default socket
   * (none when containerd's address is given). Only what the Docker client can open is accepted:
   * {@code unix://PATH} or {@code tcp://HOST:PORT}.
   */
  static String dockerHost(String flag, String containerd, String dockerHostEnv)
      throws UsageException {
    if (containerd != null) return null;
    boolean fromEnv = flag == null && dockerHostEnv != null && !dockerHostEnv.isBlank();
    String host = flag != null ? flag : fromEnv ? dockerHostEnv : "unix:///var/run/docker.sock";
    try {
      return DockerHostSetting.check(host, fromEnv ? "DOCKER_HOST" : "--docker-host");
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
