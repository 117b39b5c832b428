package io.kubermi.agent.cli;

import io.kubermi.api.KubeRmi;
import io.kubermi.api.prune.ByteQuantity;
import io.kubermi.api.prune.UnusedFor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The arguments of {@code kube-rmi prune}, parsed as docker's CLI parses docker image prune's. */
record PruneArguments(
    boolean all,
    List<String> filters,
    List<String> exclude,
    Integer keepNewest,
    Duration unusedFor,
    Long imageBytesHigh,
    Long imageBytesLow,
    Path nodeFolder,
    boolean dryRun,
    String dockerHost,
    String containerdAddress) {

  static PruneArguments parse(String[] args, String dockerHostEnv)
      throws RmiArguments.UsageException {
    PruneOptions o = RmiArguments.read(new PruneOptions(), args);
    if (!o.arguments.isEmpty()) {
      throw new RmiArguments.UsageException("\"kube-rmi prune\" accepts no arguments.");
    }
    if (o.keepNewest != null && (o.keepNewest < 1 || o.keepNewest > KubeRmi.KEEP_NEWEST_MAX)) {
      throw new RmiArguments.UsageException(
          "invalid argument \""
              + o.keepNewest
              + "\" for \"--keep-newest\" flag: must be 1 to "
              + KubeRmi.KEEP_NEWEST_MAX);
    }
    Duration unusedFor = null;
    if (o.unusedFor != null) {
      unusedFor =
          UnusedFor.parse(o.unusedFor)
              .orElseThrow(
                  () ->
                      new RmiArguments.UsageException(
                          "invalid argument \""
                              + o.unusedFor
                              + "\" for \"--unused-for\" flag: must be a Go duration from 1m to"
                              + " 87600h, e.g. 168h"));
    }
    Long high = null;
    Long low = null;
    if (o.imageBytesHigh != null || o.imageBytesLow != null) {
      if (o.imageBytesHigh == null || o.imageBytesLow == null) {
        throw new RmiArguments.UsageException(
            "--image-bytes-high and --image-bytes-low go together");
      }
      high = bytes("--image-bytes-high", o.imageBytesHigh);
      low = bytes("--image-bytes-low", o.imageBytesLow);
      if (low >= high) {
        throw new RmiArguments.UsageException(
            "invalid argument \""
                + o.imageBytesLow
                + "\" for \"--image-bytes-low\" flag: must be below --image-bytes-high");
      }
    }
    String dockerHost = o.engine.dockerHost(dockerHostEnv);
    return new PruneArguments(
        o.all,
        o.filters,
        o.exclude,
        o.keepNewest,
        unusedFor,
        high,
        low,
        o.nodeFolder,
        o.dryRun,
        dockerHost,
        o.engine.containerd);
  }

  private static long bytes(String flag, String text) throws RmiArguments.UsageException {
    return ByteQuantity.parse(text)
        .orElseThrow(
            () ->
                new RmiArguments.UsageException(
                    "invalid argument \""
                        + text
                        + "\" for \""
                        + flag
                        + "\" flag: must be a quantity of bytes such as 20Gi or 500M"));
  }
}
