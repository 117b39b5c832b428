package io.kubermi.operator.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubermi.api.NodeResult;
import io.kubermi.api.RemovalPhase;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps the parent's status well under etcd's object limit (1.5 MiB) at thousands of nodes: nodes
 * are listed failed first, then running, pending and succeeded, each group by name, and the list
 * stops when it would pass a byte budget or a count. The rest are counted in nodesOmitted; every
 * node's full results stay in its NodeImageRemoval.
 */
public final class StatusSizeLimit {
  /** Serialized bytes the nodes list may take. */
  public static final int NODE_BYTES_BUDGET = 256 * 1024;

  public static final int MAX_NODES = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusSizeLimit() {}

  public record Limited(List<NodeResult> nodes, int omitted) {}

  public static Limited apply(List<NodeResult> all) {
    List<NodeResult> ordered = new ArrayList<>(all);
    ordered.sort(
        Comparator.comparingInt((NodeResult n) -> rank(n.getPhase()))
            .thenComparing(NodeResult::getName));
    List<NodeResult> kept = new ArrayList<>();
    long bytes = 0;
    for (NodeResult n : ordered) {
      long size = size(n);
      if (kept.size() >= MAX_NODES || bytes + size > NODE_BYTES_BUDGET) break;
      kept.add(n);
      bytes += size;
    }
    return new Limited(kept, ordered.size() - kept.size());
  }

  private static int rank(RemovalPhase p) {
    return switch (p) {
      case Failed -> 0;
      case Running -> 1;
      case Pending -> 2;
      case Succeeded -> 3;
    };
  }

  private static long size(NodeResult n) {
    try {
      return JSON.writeValueAsBytes(n).length + 1;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
