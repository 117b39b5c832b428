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
    boolean force = false;
    boolean noPrune = false;
    boolean dryRun = false;
    String dockerHost = null;
    String containerd = null;
    List<String> platforms = new ArrayList<>();
    List<String> images = new ArrayList<>();
    boolean optionsDone = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (optionsDone || !a.startsWith("-") || a.equals("-")) {
        images.add(a);
        continue;
      }
      String value = null;
      int eq = a.indexOf('=');
      String name = a;
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      switch (name) {
        case "--" -> optionsDone = true;
        case "-f", "--force" -> force = true;
        case "--no-prune" -> noPrune = true;
        case "--dry-run" -> dryRun = true;
        case "--platform" -> {
          String v = value != null ? value : next(args, ++i, name);
          for (String p : v.split(",")) {
            if (!p.isBlank()) platforms.add(p.trim());
          }
        }
        case "--docker-host", "-H" -> dockerHost = value != null ? value : next(args, ++i, name);
        case "--containerd-address" -> containerd = value != null ? value : next(args, ++i, name);
        default -> throw new UsageException("unknown flag: " + a);
      }
    }
    if (images.isEmpty()) {
      throw new UsageException("\"kube-rmi rmi\" requires at least 1 argument.");
    }
    if (dockerHost != null && containerd != null) {
      throw new UsageException("--docker-host and --containerd-address exclude each other");
    }
    dockerHost = dockerHost(dockerHost, containerd, dockerHostEnv);
    return new RmiArguments(force, noPrune, platforms, dryRun, dockerHost, containerd, images);
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

  private static String next(String[] args, int i, String flag) throws UsageException {
    if (i >= args.length) {
      throw new UsageException("flag needs an argument: " + flag);
    }
    return args[i];
  }
}
