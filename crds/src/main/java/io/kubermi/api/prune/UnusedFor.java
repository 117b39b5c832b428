package io.kubermi.api.prune;

import io.kubermi.api.KubeRmi;
import java.time.Duration;
import java.util.Optional;

/**
 * A prune's {@code unusedFor}: a Go duration ({@link GoDuration}) from {@link
 * KubeRmi#UNUSED_FOR_MIN} to {@link KubeRmi#UNUSED_FOR_MAX}. Shorter would select images a
 * container left a moment ago, longer is no policy a node keeps images for.
 */
public final class UnusedFor {
  private UnusedFor() {}

  /** The duration, or empty when the text is not a Go duration within the bounds. */
  public static Optional<Duration> parse(String text) {
    if (text == null || text.length() > KubeRmi.UNTIL_MAX_LENGTH) return Optional.empty();
    return GoDuration.parse(text)
        .filter(d -> d.compareTo(KubeRmi.UNUSED_FOR_MIN) >= 0)
        .filter(d -> d.compareTo(KubeRmi.UNUSED_FOR_MAX) <= 0);
  }
}
