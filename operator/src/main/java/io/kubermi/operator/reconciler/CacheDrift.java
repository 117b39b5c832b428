package io.kubermi.operator.reconciler;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares what the API server lists with what an informer's cache holds, each as name to {@code
 * uid/resourceVersion}, and reports the differences that have stood unchanged for longer than a
 * grace period. A watching informer closes a difference within milliseconds of the write, and one
 * that reconnects after an outage within its longest backoff; a difference that outlives both means
 * the informer is not hearing the server and will not catch up by itself.
 */
final class CacheDrift {
  /** Longer than the client's longest watch-reconnect backoff (32 s). */
  static final Duration GRACE = Duration.ofSeconds(40);

  private final Duration grace;
  private Map<String, Instant> since = new HashMap<>();

  CacheDrift(Duration grace) {
    this.grace = grace;
  }

  /** The differences seen now that were already there, identical, {@code grace} ago. */
  Set<String> persistent(Map<String, String> server, Map<String, String> cache, Instant now) {
    Map<String, Instant> next = new HashMap<>();
    Set<String> names = new HashSet<>(server.keySet());
    names.addAll(cache.keySet());
    for (String name : names) {
      String listed = server.get(name);
      String cached = cache.get(name);
      if (!Objects.equals(listed, cached)) {
        String difference = name + " (server " + or(listed) + ", cache " + or(cached) + ")";
        next.put(difference, since.getOrDefault(difference, now));
      }
    }
    since = next;
    Set<String> stale = new TreeSet<>();
    next.forEach(
        (difference, first) -> {
          if (!first.plus(grace).isAfter(now)) stale.add(difference);
        });
    return stale;
  }

  /** Forgets what was seen: after a failed list nothing is known about the time between. */
  void reset() {
    since = new HashMap<>();
  }

  private static String or(String version) {
    return version == null ? "absent" : version;
  }
}
