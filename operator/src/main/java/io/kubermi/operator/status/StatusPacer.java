package io.kubermi.operator.status;

import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Paces the status writes of a run in progress: at most one per {@link #INTERVAL} per ImageRemoval,
 * and one per second for every {@link #NODES_PER_SECOND} nodes it holds, up to {@link #LONGEST}. At
 * thousands of nodes, child events arrive faster than a status of thousands of entries should be
 * written (each write is up to a few hundred KiB that the API server stores and every watcher, the
 * operator included, receives and parses), so a larger status is written less often. A new
 * generation and a run's first status are never held (nor, the reconciler sees to it, the write
 * once every node has finished); a held write happens at most one interval later with everything
 * that changed.
 */
public final class StatusPacer {
  public static final Duration INTERVAL = Duration.ofSeconds(1);

  /** Node entries a second a removal's status writes stay near once it is larger than this. */
  static final int NODES_PER_SECOND = 1000;

  /** The longest interval, however many nodes: users still see progress this often. */
  static final Duration LONGEST = Duration.ofSeconds(5);

  private final Map<String, Instant> lastWrite = new ConcurrentHashMap<>();

  /** How long to wait before writing the status of {@code removal}; zero to write now. */
  public Duration holdOff(ImageRemoval removal, long generation, Instant now) {
    ImageRemovalStatus s = removal.getStatus();
    Instant last = lastWrite.get(removal.getMetadata().getUid());
    if (last == null
        || s == null
        || s.getPhase() == null
        || s.getPhase().isFinished()
        || s.getStartedAt() == null
        || !Objects.equals(s.getObservedGeneration(), generation)) {
      return Duration.ZERO;
    }
    Duration interval = intervalFor(s);
    Duration left = interval.minus(Duration.between(last, now));
    // A clock that went back (a test's, or a corrected one) holds no longer than one interval.
    return left.isNegative() || left.isZero() || left.compareTo(interval) > 0
        ? Duration.ZERO
        : left;
  }

  /** One second per started {@link #NODES_PER_SECOND} nodes, within [INTERVAL, LONGEST]. */
  static Duration intervalFor(ImageRemovalStatus s) {
    int nodes = s.getSummary() == null ? 0 : s.getSummary().getNodesTotal();
    long seconds = Math.max(1, (nodes + NODES_PER_SECOND - 1) / NODES_PER_SECOND);
    Duration interval = INTERVAL.multipliedBy(seconds);
    return interval.compareTo(LONGEST) > 0 ? LONGEST : interval;
  }

  public void written(ImageRemoval removal, Instant now) {
    lastWrite.put(removal.getMetadata().getUid(), now);
    if (lastWrite.size() > 1000) {
      // Deleted removals leave entries; any older than the longest interval hold nothing.
      lastWrite.values().removeIf(t -> Duration.between(t, now).compareTo(LONGEST) > 0);
    }
  }

  public void forget(String uid) {
    lastWrite.remove(uid);
  }
}
