package io.kubermi.api.prune;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * docker's {@code until} filter value as a point in time: a Go duration before now, an RFC 3339 (or
 * shorter) timestamp, or Unix seconds, as the daemon's timestamp parser reads them. Timestamps
 * without a zone are in the zone given (the daemon uses its own).
 */
public final class UntilTime {
  private static final List<DateTimeFormatter> LOCAL =
      List.of(
          DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSSSSSSSS][.SSSSSS][.SSS]"),
          DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm"),
          DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH"));

  private UntilTime() {}

  /**
   * The instant the value names, relative to {@code now} for a duration.
   *
   * @throws InvalidFilterException with the daemon's message for a value it cannot read
   */
  public static Instant parse(String value, Instant now, ZoneId zone)
      throws InvalidFilterException {
    // "0" is Unix time 0 to the daemon, not a zero duration.
    Optional<Duration> duration = value.equals("0") ? Optional.empty() : GoDuration.parse(value);
    if (duration.isPresent()) {
      return now.minus(duration.get());
    }
    Optional<Instant> time = timestamp(value, zone);
    if (time.isPresent()) {
      return time.get();
    }
    if (value.contains("-")) {
      // The daemon passes Go's own time-parsing error here; its wording is Go's, not ours.
      throw new InvalidFilterException("parsing time \"" + value + "\": cannot parse as a time");
    }
    if (!value.matches("\\d+(\\.\\d{0,9})?")) {
      throw new InvalidFilterException(
          "failed to parse value as time or duration: \"" + value + "\"");
    }
    BigDecimal seconds = new BigDecimal(value);
    return Instant.ofEpochSecond(
        seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
  }

  private static Optional<Instant> timestamp(String value, ZoneId zone) {
    if (!value.contains("-")) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(value).toInstant());
    } catch (DateTimeParseException notZoned) {
      // try the forms without a zone
    }
    for (DateTimeFormatter f : LOCAL) {
      try {
        return Optional.of(LocalDateTime.parse(value, f).atZone(zone).toInstant());
      } catch (DateTimeParseException next) {
        // try the next form
      }
    }
    try {
      return Optional.of(LocalDate.parse(value).atStartOfDay(zone).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
