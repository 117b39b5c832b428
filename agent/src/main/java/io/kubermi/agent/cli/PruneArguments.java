package io.kubermi.agent.cli;

import java.util.ArrayList;
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
    boolean all = false;
    boolean dryRun = false;
    String dockerHost = null;
    String containerd = null;
    List<String> filters = new ArrayList<>();
    List<String> exclude = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      int eq = a.indexOf('=');
      String name = a.startsWith("--") && eq > 0 ? a.substring(0, eq) : a;
      String value = a.startsWith("--") && eq > 0 ? a.substring(eq + 1) : null;
      switch (name) {
        case "-a", "--all" -> all = true;
        case "-f", "--force" -> {} // never asks: there is no prompt to skip
        case "-af", "-fa" -> all = true;
        case "--dry-run" -> dryRun = true;
        case "--filter" -> filters.add(value != null ? value : next(args, ++i, name));
        case "--exclude" -> exclude.add(value != null ? value : next(args, ++i, name));
        case "--docker-host", "-H" -> dockerHost = value != null ? value : next(args, ++i, name);
        case "--containerd-address" -> containerd = value != null ? value : next(args, ++i, name);
        default ->
            throw new RmiArguments.UsageException(
                a.startsWith("-")
                    ? "unknown flag: " + a
                    : "\"kube-rmi prune\" accepts no arguments.");
      }
    }
    if (dockerHost != null && containerd != null) {
      throw new RmiArguments.UsageException(
          "--docker-host and --containerd-address exclude each other");
    }
    dockerHost = RmiArguments.dockerHost(dockerHost, containerd, dockerHostEnv);
    return new PruneArguments(all, filters, exclude, dryRun, dockerHost, containerd);
  }

  private static String next(String[] args, int i, String flag) throws RmiArguments.UsageException {
    if (i >= args.length) {
      throw new RmiArguments.UsageException("flag needs an argument: " + flag);
    }
    return args[i];
  }
}
