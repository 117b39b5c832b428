package io.kubermi.agent.engine.docker;

import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.EngineInfo;

/**
 * What the daemon's {@code /version} says, and the API version kube-rmi speaks to it: the daemon's
 * own, capped at the newest whose DELETE /images semantics kube-rmi knows.
 */
record DaemonVersion(EngineInfo info, String arch) {
  /** The newest API whose DELETE /images semantics this engine knows. */
  static final String MAX_API = "1.51";

  /** The first API whose DELETE /images takes a platforms parameter. */
  static final String PLATFORMS_MIN_API = "1.50";

  static DaemonVersion read(DockerApi api) {
    DockerApi.Reply v = api.get("/version");
    if (v.status() != 200) {
      throw new EngineException("Docker API /version answered " + v.status());
    }
    EngineInfo info =
        new EngineInfo(
            "docker", v.body().path("Version").asText(), v.body().path("ApiVersion").asText());
    return new DaemonVersion(info, v.body().path("Arch").asText("amd64"));
  }

  /** The API version used in request paths. */
  String pathVersion() {
    return compareVersions(info.apiVersion(), MAX_API) > 0 ? MAX_API : info.apiVersion();
  }

  /** The first API whose reference errors name the repository (moby's move to v0.5 of it). */
  static final String NAMING_ERRORS_MIN_API = "1.44";

  /** Whether the daemon's "must be lowercase" error names the repository path. */
  boolean namesRepositoryInErrors() {
    return compareVersions(info.apiVersion(), NAMING_ERRORS_MIN_API) >= 0;
  }

  /** Below API 1.50 the daemon ignores platforms and would delete the whole image. */
  boolean removesSinglePlatforms() {
    return compareVersions(pathVersion(), PLATFORMS_MIN_API) >= 0;
  }

  static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int xi = i < x.length ? Integer.parseInt(x[i]) : 0;
      int yi = i < y.length ? Integer.parseInt(y[i]) : 0;
      if (xi != yi) return Integer.compare(xi, yi);
    }
    return 0;
  }
}
