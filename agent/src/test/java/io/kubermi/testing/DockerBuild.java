package io.kubermi.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which Docker daemon the tests start: Debian's 20.10 with its own CLI, unless the system property
 * {@value #PROPERTY} is {@code 28}, then the dockerd {@code upstream/build.sh} builds from moby at
 * the version {@code upstream/dockerd/go.mod} pins (with the containerd 2.x build as its
 * containerd) and the current CLI first on PATH.
 */
public final class DockerBuild {
  static final String PROPERTY = "kube-rmi.docker";
  static final String STORE_PROPERTY = "kube-rmi.docker.store";

  private DockerBuild() {}

  public static boolean isUpstream() {
    return "28".equals(System.getProperty(PROPERTY));
  }

  static String dockerd() {
    return isUpstream() ? upstreamDockerd() : "/usr/sbin/dockerd";
  }

  static String upstreamDockerd() {
    return ContainerdBuild.cache()
        .resolve("dockerd-" + pinnedVersion())
        .resolve("dockerd")
        .toString();
  }

  /**
   * Whether the daemon keeps its images in containerd (its {@code containerd-snapshotter} feature,
   * the default of fresh Docker 29 installs) rather than in its classic store: system property
   * {@value #STORE_PROPERTY} {@code =containerd}, with the current daemon only.
   */
  public static boolean containerdStore() {
    return isUpstream() && "containerd".equals(System.getProperty(STORE_PROPERTY));
  }

  /** The CLI of the daemon's own version: Debian's for 20.10, the current one for 28. */
  static String cli() {
    if (!isUpstream()) return "/usr/bin/docker";
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path docker = Path.of(dir.isEmpty() ? "." : dir, "docker");
      if (Files.isExecutable(docker)) return docker.toAbsolutePath().toString();
    }
    return "docker (not on PATH)";
  }

  /** The folder whose containerd the daemon starts (PATH), or null for the system's. */
  static Path containerd() {
    return isUpstream()
        ? ContainerdBuild.cache().resolve("containerd-" + ContainerdBuild.pinnedVersion())
        : null;
  }

  static String pinnedVersion() {
    return UpstreamModules.pinned("dockerd", "github.com/docker/docker");
  }
}
