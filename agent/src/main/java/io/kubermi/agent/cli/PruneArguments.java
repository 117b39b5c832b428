package io.kubermi.agent.cli;

import io.kubermi.api.KubeRmi;
import java.util.List;

/** The arguments of {@code kube-rmi prune}, parsed as docker's CLI parses docker image prune's. */
record PruneArguments(
    boolean all,
    List<String> filters,
    List<String> exclude,
    Integer keepNewest,
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
    if (o.keepNewest != null && (o.keepNewest < 1 || o.keepNewest > KubeRmi.KEEP_NEWEST_MAX)) {
      throw new RmiArguments.UsageException(
          "invalid argument \""
              + o.keepNewest
              + "\" for \"--keep-newest\" flag: must be 1 to "
              + KubeRmi.KEEP_NEWEST_MAX);
    }
    String dockerHost = RmiArguments.dockerHost(o.dockerHost, o.containerd, dockerHostEnv);
    return new PruneArguments(
        o.all, o.filters, o.exclude, o.keepNewest, o.dryRun, dockerHost, o.containerd);
  }
}
