package io.kubermi.agent.engine.docker;

import io.kubermi.agent.engine.OutputNormalizer;
import io.kubermi.testing.DockerDaemon;
import java.util.List;

/** The reference run (real docker CLI) for scenario tests of other engines. */
public final class DockerScenariosAccess {
  private DockerScenariosAccess() {}

  public static OutputNormalizer.Run dockerCli(
      DockerDaemon docker, DockerSetup setup, List<String> args) {
    return DockerScenariosIT.dockerCli(docker, setup, args);
  }
}
