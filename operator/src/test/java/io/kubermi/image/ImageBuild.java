package io.kubermi.image;

import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Sh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The container image as build-images.sh makes it (with --local-base), on a test daemon; and a process's memory. */
public final class ImageBuild {
  private static final Path SCRIPT = Path.of("src/main/docker/build-images.sh");

  private ImageBuild() {}

  /** Builds the image on {@code docker} from the operator module's directory; the operator's and the agent's names. */
  public static List<String> build(DockerDaemon docker, Path moduleDir) {
    return Sh.run(List.of("bash", moduleDir.resolve(SCRIPT).toString(), "--local-base"),
        Map.of("DOCKER", "/usr/bin/docker", "DOCKER_HOST", docker.host()), null, Duration.ofMinutes(5))
        .orThrow().out().lines().toList();
  }

  /** Resident memory of a process in KiB, from /proc. */
  public static long rssKib(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
        .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
  }
}
