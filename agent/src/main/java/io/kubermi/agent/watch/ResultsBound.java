package io.kubermi.agent.watch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubermi.api.ImageResult;
import io.kubermi.api.NodeImageRemovalStatus;
import io.kubermi.api.ResultCounts;
import java.util.ArrayList;
import java.util.List;

/**
 * What of a run's results a NodeImageRemoval's status holds: the results in order while they fit in
 * a byte budget, the rest counted in resultsOmitted, and counts over all of them. A prune of
 * thousands of images would otherwise pass etcd's object limit, and every write of it be refused.
 */
final class ResultsBound {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** No bound: every result is listed (the local command prints them all). */
  static final int UNBOUNDED = Integer.MAX_VALUE;

  private ResultsBound() {}

  /** How many of the results, from the first, fit in {@code budget} serialized bytes. */
  static int fitting(List<ImageResult> results, int budget) {
    if (budget == UNBOUNDED) return results.size();
    long bytes = 0;
    for (int i = 0; i < results.size(); i++) {
      bytes += size(results.get(i)) + 1;
      if (bytes > budget) return i;
    }
    return results.size();
  }

  /**
   * A copy of the status (sharing its result objects, which nothing changes once made) listing the
   * results that fit, with counts over all.
   */
  static NodeImageRemovalStatus apply(NodeImageRemovalStatus full, int budget) {
    List<ImageResult> all = full.getResults();
    int kept = fitting(all, budget);
    NodeImageRemovalStatus s = copy(full);
    s.setResults(new ArrayList<>(all.subList(0, kept)));
    s.setResultsOmitted(kept == all.size() ? null : all.size() - kept);
    s.setResultCounts(ResultCounts.of(all));
    return s;
  }

  /** The status without any result listed, for an API server that refused it with them. */
  static NodeImageRemovalStatus withoutResults(NodeImageRemovalStatus status, String why) {
    NodeImageRemovalStatus s = copy(status);
    int omitted = status.getResultsOmitted() == null ? 0 : status.getResultsOmitted();
    s.setResults(new ArrayList<>());
    s.setResultsOmitted(omitted + status.getResults().size());
    String note = "results not listed: " + why;
    String message = status.getMessage() == null ? note : status.getMessage() + "; " + note;
    s.setMessage(RemovalRunner.bounded(message));
    return s;
  }

  /** A copy sharing the results list; the callers replace it. */
  private static NodeImageRemovalStatus copy(NodeImageRemovalStatus from) {
    NodeImageRemovalStatus s = new NodeImageRemovalStatus();
    s.copyRunStateFrom(from);
    s.setStartedAt(from.getStartedAt());
    s.setFinishedAt(from.getFinishedAt());
    s.setObservedGeneration(from.getObservedGeneration());
    s.setReclaimedBytes(from.getReclaimedBytes());
    return s;
  }

  private static int size(ImageResult r) {
    try {
      return JSON.writeValueAsBytes(r).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a result did not serialize", e);
    }
  }
}
