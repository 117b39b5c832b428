package io.kubermi.agent.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.EngineInfo;

/**
 * What the daemon's {@code /version} says, and the API version kube-rmi speaks to it: the daemon's
 * own, capped at the newest whose DELETE /images semantics kube-rmi knows; and from {@code /info},
 * whether it keeps its images in containerd rather than in its classic store.
 */
record DaemonVersion(EngineInfo info, String arch, boolean containerdStore) {
  /** The {@code driver-type} {@code /info} names for the containerd image store. */
  static final String CONTAINERD_STORE_DRIVER = "io.containerd.snapshotter.v1";

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
    return new DaemonVersion(info, v.body().path("Arch").asText("amd64"), containerdStore(api));
  }

  /** {@code DriverStatus} holds {@code ["driver-type", "io.containerd.snapshotter.v1"]}. */
  private static boolean containerdStore(DockerApi api) {
    DockerApi.Reply i = api.get("/info");
    if (i.status() != 200) {
      throw new EngineException("Docker API /info answered " + i.status());
    }
    for (JsonNode pair : i.body().path("DriverStatus")) {
      if (pair.path(0).asText().equals("driver-type")
          && pair.path(1).asText().equals(CONTAINERD_STORE_DRIVER)) {
        return true;
      }
    }
    return false;
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
