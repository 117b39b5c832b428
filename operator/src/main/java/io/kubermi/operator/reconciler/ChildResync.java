package io.kubermi.operator.reconciler;

import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalStatus;
import io.kubermi.operator.status.StatusAggregator;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a reconcile reads an unfinished removal's children from the API server instead of the
 * informer: at most once per {@link #DEFAULT_INTERVAL} (configurable), and always once its node
 * deadline has passed, so a child that finished while a watch event was lost (an API outage) is
 * seen, and a node whose child is finished is never reported Timeout. Unfinished removals are also
 * woken at least that often.
 */
public final class ChildResync {
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  private final Duration interval;
  private final Map<String, Instant> lastListed = new ConcurrentHashMap<>();

  ChildResync(Duration interval) {
    this.interval = interval;
  }

  boolean due(ImageRemoval removal, Instant now) {
    String uid = removal.getMetadata().getUid();
    ImageRemovalStatus s = removal.getStatus();
    if (s == null || s.getPhase() == null || s.getStartedAt() == null) return false;
    if (s.getPhase().isFinished()) {
      lastListed.remove(uid);
      return false;
    }
    Instant last = lastListed.putIfAbsent(uid, now);
    if (last == null) return false; // first sight since start: the informer has just listed
    Instant deadline = StatusAggregator.nextWakeUp(removal.getSpec(), s).orElse(Instant.MAX);
    boolean due =
        !last.plus(interval).isAfter(now) || (!now.isBefore(deadline) && last.isBefore(deadline));
    if (due) lastListed.put(uid, now);
    return due;
  }

  /** The status's own wake-up, but no later than one interval while the run goes on. */
  Optional<Instant> wakeUp(ImageRemoval removal, ImageRemovalStatus status, Instant now) {
    Optional<Instant> at = StatusAggregator.nextWakeUp(removal.getSpec(), status);
    if (status.getPhase() == null || status.getPhase().isFinished()) return at;
    Instant resync = now.plus(interval);
    return Optional.of(at.filter(t -> t.isBefore(resync)).orElse(resync));
  }
}
