package io.kubermi.image;

import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Sh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The container images as build-images.sh makes them (with --local-base), on a test daemon; and a
 * process's memory.
 */
public final class ImageBuild {
  private static final Path SCRIPT = Path.of("images/build-images.sh");

  private ImageBuild() {}

  /**
   * Builds the images on {@code docker} from the checkout at {@code root}: the operator's and the
   * agent's names, then the command line's when {@code withCli}.
   */
  public static List<String> build(DockerDaemon docker, Path root, boolean withCli) {
    return build(docker, root, withCli, List.of());
  }

  /** The same, with more of the script's arguments (e.g. {@code --registry R --push}). */
  public static List<String> build(
      DockerDaemon docker, Path root, boolean withCli, List<String> arguments) {
    List<String> cmd =
        new ArrayList<>(List.of("bash", root.resolve(SCRIPT).toString(), "--local-base"));
    if (withCli) cmd.add("--cli");
    cmd.addAll(arguments);
    return Sh.run(
            cmd,
            Map.of("DOCKER", "/usr/bin/docker", "DOCKER_HOST", docker.host()),
            null,
            Duration.ofMinutes(5))
        .orThrow()
        .out()
        .lines()
        .toList();
  }

  /** Resident memory of a process in KiB, from /proc. */
  public static long rssKib(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
        .filter(l -> l.startsWith("VmRSS:"))
        .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
        .findFirst()
        .orElse(0L);
  }
}
