package io.kubermi.agent.engine;

/** Which engine a node runs: {@code docker 20.10.24} (API 1.41) or {@code containerd 1.6.20}. */
public record EngineInfo(String name, String version, String apiVersion) {
  /** As the status shows it: {@code docker 20.10.24}. */
  public String display() {
    return name + " " + version;
  }
}
