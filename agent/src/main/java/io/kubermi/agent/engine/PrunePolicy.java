package io.kubermi.agent.engine;

import io.kubermi.agent.lastuse.LastUseRecord;
import java.time.Duration;
import java.time.Instant;

/**
 * kube-rmi's own additions to docker image prune's selection, each never selecting more than docker
 * would: keep the {@code keepNewest} newest images of each repository (null: none kept), and select
 * only images unused for at least {@code unusedFor} (null: any) by the node's {@code lastUse}
 * record, counted back from {@code now}.
 */
public record PrunePolicy(
    Integer keepNewest, Duration unusedFor, LastUseRecord lastUse, Instant now) {
  public static final PrunePolicy NONE = new PrunePolicy(null, null, null, null);

  public PrunePolicy {
    if (unusedFor != null && (lastUse == null || now == null)) {
      throw new IllegalArgumentException("unusedFor needs the node's last-use record and a now");
    }
  }

  public static PrunePolicy keepNewest(Integer keepNewest) {
    return new PrunePolicy(keepNewest, null, null, null);
  }
}
