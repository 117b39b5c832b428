package io.kubermi.api.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docker's filter syntax: Go durations, timestamps, filter names, with the daemon's messages. */
class PruneFiltersTest {
  static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

  @Test
  void goDurations() {
    assertThat(GoDuration.parse("72h")).contains(Duration.ofHours(72));
    assertThat(GoDuration.parse("1h30m")).contains(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("1.5h")).contains(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("-10m")).contains(Duration.ofMinutes(-10));
    assertThat(GoDuration.parse("300ms")).contains(Duration.ofMillis(300));
    assertThat(GoDuration.parse("0")).contains(Duration.ZERO);
    assertThat(GoDuration.parse("7d")).isEmpty();
    assertThat(GoDuration.parse("7 days")).isEmpty();
    assertThat(GoDuration.parse("h")).isEmpty();
  }

  @Test
  void untilTimesAsTheDaemonReadsThem() throws InvalidFilterException {
    assertThat(UntilTime.parse("168h", NOW, ZoneOffset.UTC))
        .isEqualTo(NOW.minus(Duration.ofDays(7)));
    assertThat(UntilTime.parse("-1h", NOW, ZoneOffset.UTC)).isEqualTo(NOW.plusSeconds(3600));
    assertThat(UntilTime.parse("2026-01-02T15:04:05Z", NOW, ZoneOffset.UTC))
        .isEqualTo(Instant.parse("2026-01-02T15:04:05Z"));
    assertThat(UntilTime.parse("2026-01-02", NOW, ZoneOffset.UTC))
        .isEqualTo(Instant.parse("2026-01-02T00:00:00Z"));
    assertThat(UntilTime.parse("0", NOW, ZoneOffset.UTC)).isEqualTo(Instant.EPOCH);
    assertThat(UntilTime.parse("10", NOW, ZoneOffset.UTC)).isEqualTo(Instant.ofEpochSecond(10));
    assertThatThrownBy(() -> UntilTime.parse("foo", NOW, ZoneOffset.UTC))
        .hasMessage("failed to parse value as time or duration: \"foo\"");
  }

  @Test
  void commandLineFiltersWithTheDaemonsErrors() throws InvalidFilterException {
    PruneFilters f =
        PruneFilters.ofCommandLine(
            true, List.of("Label=a", "label!=b=2", "until=1h"), NOW, ZoneOffset.UTC);
    assertThat(f.danglingOnly()).isFalse();
    assertThat(f.labels()).containsExactly(new LabelFilter("a", null));
    assertThat(f.labelsNot()).containsExactly(new LabelFilter("b", "2"));
    assertThat(f.until()).isEqualTo(NOW.minusSeconds(3600));
    assertThatThrownBy(
            () -> PruneFilters.ofCommandLine(false, List.of("foo=bar"), NOW, ZoneOffset.UTC))
        .hasMessage("Invalid filter 'foo'");
    assertThatThrownBy(
            () ->
                PruneFilters.ofCommandLine(
                    false, List.of("until=1h", "until=2h"), NOW, ZoneOffset.UTC))
        .hasMessage("more than one until filter specified");
    assertThatThrownBy(
            () -> PruneFilters.ofCommandLine(false, List.of("label"), NOW, ZoneOffset.UTC))
        .hasMessage("bad format of filter (expected name=value)");
  }
}
