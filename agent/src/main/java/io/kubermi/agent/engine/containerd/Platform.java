package io.kubermi.agent.engine.containerd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * An OCI platform, {@code os[/arch[/variant]]}, with architecture and variant defaulting to the
 * node's.
 */
record Platform(String os, String architecture, String variant) {
  static Platform node() {
    String arch =
        switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
          case "amd64", "x86_64" -> "amd64";
          case "aarch64", "arm64" -> "arm64";
          case "ppc64le" -> "ppc64le";
          case "s390x" -> "s390x";
          default -> System.getProperty("os.arch");
        };
    return new Platform("linux", arch, arch.equals("arm64") ? "v8" : "");
  }

  /** {@code linux}, {@code linux/arm64}, {@code linux/arm64/v8}; omitted parts are the node's. */
  static Platform parse(String s, Platform node) {
    String[] p = s.split("/");
    String arch = p.length > 1 ? p[1] : node.architecture();
    String variant = p.length > 2 ? p[2] : (p.length > 1 ? defaultVariant(arch) : node.variant());
    return new Platform(p[0], arch, variant);
  }

  static Platform of(JsonNode descriptorPlatform) {
    return new Platform(
        descriptorPlatform.path("os").asText(),
        descriptorPlatform.path("architecture").asText(),
        descriptorPlatform.path("variant").asText(""));
  }

  private static String defaultVariant(String arch) {
    return arch.equals("arm64") ? "v8" : "";
  }

  /**
   * Strict match, as docker's platform removal takes it: an arm64 manifest without variant is v8.
   */
  boolean matches(Platform other) {
    String v = variant.isEmpty() ? defaultVariant(architecture) : variant;
    String ov = other.variant.isEmpty() ? defaultVariant(other.architecture) : other.variant;
    return os.equals(other.os) && architecture.equals(other.architecture) && v.equals(ov);
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
  }
}
