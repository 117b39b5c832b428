package io.kubermi.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The current docker CLI (the {@code docker} first on PATH: 28.x on the build machines) against a
 * test daemon, the reference for what users read; the daemon itself is Debian's 20.10.
 */
public final class CurrentDockerCli {
  private CurrentDockerCli() {}

  /** {@code docker -H <daemon> <args>}, with the CLI's config in the daemon's folder. */
  public static Sh.Result run(DockerDaemon daemon, List<String> args) {
    List<String> cmd = new ArrayList<>(List.of("docker", "-H", daemon.host()));
    cmd.addAll(args);
    return Sh.run(
        cmd,
        Map.of("DOCKER_CONFIG", daemon.dir().resolve("cli").toString()),
        null,
        Duration.ofMinutes(2));
  }

  /** {@code docker image prune -f <filters>}. */
  public static Sh.Result prune(DockerDaemon daemon, List<String> filters) {
    List<String> args = new ArrayList<>(List.of("image", "prune", "-f"));
    args.addAll(filters);
    return run(daemon, args);
  }
}
