package io.kubermi.testing;

import java.nio.file.Path;

/**
 * Which containerd the tests start: Debian's package (1.6, the oldest kube-rmi supports) unless the
 * system property {@value #PROPERTY} is {@code 2}, then the 2.x that {@code upstream/build.sh}
 * builds from {@code github.com/containerd/containerd/v2} at the version {@code
 * upstream/containerd/go.mod} pins, from its cache folder (or {@code KUBE_RMI_CONTAINERD2_BIN}).
 * The build brings its own {@code containerd-shim-runc-v2}; both use Debian's runc.
 */
public final class ContainerdBuild {
  static final String PROPERTY = "kube-rmi.containerd";
  private static final Path DEBIAN = Path.of("/usr/bin");

  private ContainerdBuild() {}

  /** Whether the tests run the 2.x build. */
  public static boolean isUpstream() {
    return "2".equals(System.getProperty(PROPERTY));
  }

  /** The folder of the 2.x build (containerd, ctr, the runc shim), whatever the property says. */
  public static Path upstreamBinaries() {
    String env = System.getenv("KUBE_RMI_CONTAINERD2_BIN");
    if (env != null && !env.isBlank()) return Path.of(env);
    return cache().resolve("containerd-" + pinnedVersion());
  }

  /** The folder holding containerd, ctr and (for the 2.x build) the runc shim. */
  static Path binaries() {
    return isUpstream() ? upstreamBinaries() : DEBIAN;
  }

  /** Where upstream/build.sh caches what it builds, by its rule. */
  static Path cache() {
    String cacheEnv = System.getenv("KUBE_RMI_UPSTREAM_CACHE");
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path cache =
        cacheEnv != null && !cacheEnv.isBlank()
            ? Path.of(cacheEnv)
            : (xdg != null && !xdg.isBlank()
                    ? Path.of(xdg)
                    : Path.of(System.getProperty("user.home"), ".cache"))
                .resolve("kube-rmi/upstream");
    return cache;
  }

  static String containerd() {
    return binaries().resolve("containerd").toString();
  }

  static String ctr() {
    return binaries().resolve("ctr").toString();
  }

  static String pinnedVersion() {
    return UpstreamModules.pinned("containerd", "github.com/containerd/containerd/v2");
  }
}
