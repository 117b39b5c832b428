package io.kubermi.api.prune;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's {@code time.ParseDuration} syntax ({@code 72h}, {@code 1h30m}, {@code 1.5h}, {@code -10m}),
 * which docker's {@code until} filter takes. Java's {@link Duration#parse} reads ISO 8601 only, and
 * no maintained Java library reads Go's form, so this small grammar is written here.
 */
public final class GoDuration {
  private static final Pattern WHOLE = Pattern.compile("[-+]?((\\d+\\.?\\d*|\\.\\d+)[a-zµμ]+)+");
  private static final Pattern PART = Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)([a-zµμ]+)");
  private static final Map<String, Long> NANOS_PER_UNIT =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "µs", 1_000L,
          "μs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  private GoDuration() {}

  /** The duration, or empty when the text is not one ("0" alone is one in Go: zero). */
  public static Optional<Duration> parse(String text) {
    if (text.equals("0") || text.equals("+0") || text.equals("-0")) {
      return Optional.of(Duration.ZERO);
    }
    if (!WHOLE.matcher(text).matches()) {
      return Optional.empty();
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      Long unit = NANOS_PER_UNIT.get(m.group(2));
      if (unit == null) {
        return Optional.empty();
      }
      nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
    }
    if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      return Optional.empty(); // Go: invalid duration (overflow)
    }
    Duration d = Duration.ofNanos(nanos.longValue());
    return Optional.of(text.startsWith("-") ? d.negated() : d);
  }
}
