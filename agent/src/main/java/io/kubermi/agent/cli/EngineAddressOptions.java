package io.kubermi.agent.cli;

import picocli.CommandLine.Option;

/** Which engine a command on this machine talks to: the flags rmi, prune and images share. */
final class EngineAddressOptions {
  @Option(
      names = {"-H", "--docker-host"},
      paramLabel = "URI",
      description =
          "Docker daemon to use (unix:///PATH or tcp://HOST:PORT; default: DOCKER_HOST, else"
              + " unix:///var/run/docker.sock).")
  String dockerHost;

  @Option(
      names = "--containerd-address",
      paramLabel = "PATH",
      description = "containerd socket to use instead (the kubelet's: namespace k8s.io).")
  String containerd;

  /** The Docker host to open (null: containerd's address is given), checked. */
  String dockerHost(String dockerHostEnv) throws RmiArguments.UsageException {
    if (dockerHost != null && containerd != null) {
      throw new RmiArguments.UsageException(
          "--docker-host and --containerd-address exclude each other");
    }
    return RmiArguments.dockerHost(dockerHost, containerd, dockerHostEnv);
  }
}
