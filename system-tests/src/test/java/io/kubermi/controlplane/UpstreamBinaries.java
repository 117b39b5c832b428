package io.kubermi.controlplane;

import io.kubermi.testing.Sh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The folder of the upstream binaries {@code upstream/build.sh} builds (etcd, kube-apiserver,
 * kube-controller-manager, kubectl): {@code KUBE_RMI_UPSTREAM_BIN}, or the cache folder the script
 * names for the versions its wrapper modules pin. Off CI a missing build skips the test with a loud
 * reason; with CI=true it fails, so CI can never pass by skipping.
 */
public final class UpstreamBinaries {
  static final List<String> PROGRAMS =
      List.of("etcd", "kube-apiserver", "kube-controller-manager", "kubectl");

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private UpstreamBinaries() {}

  /** The folder holding every program of {@link #PROGRAMS}. */
  public static Path require() {
    Path dir = folder();
    String missing =
        PROGRAMS.stream()
            .filter(p -> !Files.isExecutable(dir.resolve(p)))
            .findFirst()
            .map(p -> dir.resolve(p) + " is missing: run upstream/build.sh")
            .orElse(null);
    if (missing == null) return dir;
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("CI=true and the control plane is unavailable: " + missing);
    }
    System.err.println("!!! SKIPPING real control plane test: " + missing);
    Assumptions.abort("real control plane unavailable: " + missing);
    throw new AssertionError("unreachable");
  }

  /** One of the programs, by name. */
  public static Path program(String name) {
    return require().resolve(name);
  }

  private static Path folder() {
    String given = System.getenv("KUBE_RMI_UPSTREAM_BIN");
    if (given != null && !given.isBlank()) return Path.of(given);
    Sh.Result printed =
        Sh.run(List.of("bash", ROOT.resolve("upstream/build.sh").toString(), "--print"));
    return Path.of(printed.orThrow().out().trim());
  }
}
