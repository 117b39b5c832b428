package io.kubermi.agent.cli;

import java.util.List;

/** The arguments of {@code kube-rmi prune}, parsed as docker's CLI parses docker image prune's. */
record PruneArguments(
    boolean all,
    List<String> filters,
    List<String> exclude,
    boolean dryRun,
    String dockerHost,
    String containerdAddress) {

  static PruneArguments parse(String[] args, String dockerHostEnv)
      throws RmiArguments.UsageException {
    PruneOptions o = RmiArguments.read(new PruneOptions(), args);
    if (!o.arguments.isEmpty()) {
      throw new RmiArguments.UsageException("\"kube-rmi prune\" accepts no arguments.");
    }
    if (o.dockerHost != null && o.containerd != null) {
      throw new RmiArguments.UsageException(
          "--docker-host and --containerd-address exclude each other");
    }
    String dockerHost = RmiArguments.dockerHost(o.dockerHost, o.containerd, dockerHostEnv);
    return new PruneArguments(o.all, o.filters, o.exclude, o.dryRun, dockerHost, o.containerd);
  }
}
