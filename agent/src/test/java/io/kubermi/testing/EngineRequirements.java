package io.kubermi.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether this machine can run a real engine. Off CI a missing engine skips the test with a loud
 * reason; with CI=true it fails, so CI can never pass by skipping.
 */
public final class EngineRequirements {
  private static final Map<String, List<String>> BINARIES =
      Map.of(
          "docker", List.of(DockerDaemon.DOCKERD, DockerDaemon.DOCKER, "/bin/busybox"),
          "containerd",
              List.of(
                  ContainerdDaemon.CONTAINERD,
                  ContainerdDaemon.CTR,
                  "/usr/sbin/runc",
                  "/bin/busybox"),
          "registry", List.of(LocalRegistry.REGISTRY));

  private EngineRequirements() {}

  public static void require(String engine) {
    String missing = null;
    if (!"root".equals(System.getProperty("user.name"))) {
      missing = "engine tests must run as root (they start their own " + engine + ")";
    } else {
      for (String bin : BINARIES.get(engine)) {
        if (!Files.isExecutable(Path.of(bin))) {
          missing =
              bin
                  + (engine.equals("containerd") && ContainerdBuild.isUpstream()
                      ? " is missing: build containerd 2.x with upstream/build.sh"
                      : " is missing: apt-get install -y docker.io containerd runc busybox-static"
                          + " docker-registry");
          break;
        }
      }
    }
    if (missing == null) return;
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException(
          "CI=true and the " + engine + " engine is unavailable: " + missing);
    }
    System.err.println("!!! SKIPPING real-" + engine + " test: " + missing);
    Assumptions.abort("real " + engine + " unavailable: " + missing);
  }
}
