package io.kubermi.agent.cli;

import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.containerd.ContainerdEngine;
import io.kubermi.agent.engine.docker.DockerEngine;

/** The engine a one-node command talks to: containerd when its address is given, else Docker. */
final class LocalEngine {
  private LocalEngine() {}

  /**
   * @param countReclaimedBytes whether the engine reads the sizes of what it removes (only a
   *     command that prints a byte count needs them)
   */
  static Engine open(
      String dockerHost,
      String containerdAddress,
      ProtectedImages protectedImages,
      boolean countReclaimedBytes) {
    return containerdAddress != null
        ? new ContainerdEngine(
            containerdAddress.replaceFirst("^unix://", ""), protectedImages, countReclaimedBytes)
        : new DockerEngine(dockerHost, protectedImages, countReclaimedBytes);
  }
}
