package io.kubermi.runtime;

/** slf4j-simple's settings for kube-rmi's processes, set before the first logger is made. */
public final class Logging {
  private Logging() {}

  /**
   * Services log at info, one-shot commands only warnings; {@code -Dkube-rmi.log} overrides both.
   */
  public static void configure(boolean service) {
    System.setProperty(
        "org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("kube-rmi.log", service ? "info" : "warn"));
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    // Wall-clock time, not milliseconds since start: the agent's and the operator's lines can then
    // be read side by side, and against the API server's and the engine's.
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    // grpc warns on every unix-socket channel about a TCP-only option; fabric8 about v1alpha1
    System.setProperty(
        "org.slf4j.simpleLogger.log.io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap", "error");
    System.setProperty(
        "org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils",
        "error");
  }
}
