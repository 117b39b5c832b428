package io.kubermi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kubermi.api.reference.DockerReference;
import io.kubermi.api.reference.InvalidReferenceException;
import io.kubermi.api.validation.SpecValidator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random specs and references built from the characters that matter to the grammars (and
 * some that do not belong), up to and past every length limit: the validator answers each with a
 * list of problems and the reference parser with its own error, each within a second; nothing else
 * is ever thrown.
 */
class HostileSpecFuzzTest {
  private static final long SEED = 20261207L;
  private static final int CASES = 3000;
  private static final Duration PER_CASE = Duration.ofSeconds(1);
  private static final String ALPHABET = "aZ09-_./:@*?=!,[]{}\\ \t\n\u00e9\u0000%";

  private final Random random = new Random(SEED);

  private String hostile() {
    int length =
        switch (random.nextInt(4)) {
          case 0 -> random.nextInt(8);
          case 1 -> random.nextInt(80);
          case 2 -> 250 + random.nextInt(20);
          default -> random.nextInt(5000);
        };
    StringBuilder s = new StringBuilder(length);
    char repeated = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    for (int i = 0; i < length; i++) {
      // Runs of one character (a/a/a..., ******) are what backtracking and recursion choke on.
      s.append(
          random.nextInt(3) == 0 ? repeated : ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }

  private List<String> hostileList() {
    List<String> l = new ArrayList<>();
    int n = random.nextInt(4) == 0 ? random.nextInt(400) : random.nextInt(4);
    for (int i = 0; i < n; i++) l.add(hostile());
    return l;
  }

  private ImageRemovalSpec spec() {
    ImageRemovalSpec spec = new ImageRemovalSpec();
    if (random.nextBoolean()) {
      spec.setImages(hostileList());
      spec.setPlatforms(hostileList());
    } else {
      PruneSpec prune = new PruneSpec();
      prune.setUntil(random.nextBoolean() ? hostile() : null);
      prune.setLabels(hostileList());
      prune.setLabelsNot(hostileList());
      prune.setExclude(hostileList());
      prune.setKeepNewest(random.nextBoolean() ? random.nextInt() : null);
      prune.setUnusedFor(random.nextBoolean() ? hostile() : null);
      if (random.nextBoolean()) {
        ImageBytesThreshold t = new ImageBytesThreshold();
        t.setHigh(random.nextBoolean() ? hostile() : null);
        t.setLow(random.nextBoolean() ? hostile() : null);
        prune.setImageBytes(t);
      }
      spec.setPrune(prune);
    }
    spec.setNodeNames(hostileList());
    return spec;
  }

  @Test
  void theValidatorAnswersEveryHostileSpecWithProblemsInBoundedTime() {
    int refused = 0;
    for (int i = 0; i < CASES; i++) {
      ImageRemovalSpec spec = spec();
      List<String> problems =
          assertTimeoutPreemptively(PER_CASE, () -> SpecValidator.validate(spec));
      if (!problems.isEmpty()) refused++;
    }
    assertThat(refused).as("random input is almost always refused").isGreaterThan(CASES * 9 / 10);
  }

  @Test
  void keepNewestOutsideItsBoundsIsRefusedNamingTheFieldAndValue() {
    for (int keep : List.of(0, -1, 10_001, Integer.MIN_VALUE)) {
      ImageRemovalSpec spec = new ImageRemovalSpec();
      PruneSpec prune = new PruneSpec();
      prune.setAll(true);
      prune.setKeepNewest(keep);
      spec.setPrune(prune);
      assertThat(SpecValidator.validate(spec))
          .containsExactly(
              "spec.prune.keepNewest: invalid value "
                  + keep
                  + ": must be 1 to 10000 (images kept per repository)");
    }
    ImageRemovalSpec fine = new ImageRemovalSpec();
    PruneSpec prune = new PruneSpec();
    prune.setKeepNewest(10_000);
    fine.setPrune(prune);
    assertThat(SpecValidator.validate(fine)).isEmpty();
  }

  @Test
  void unusedForOutsideItsBoundsIsRefusedNamingTheFieldAndValue() {
    for (String unused :
        List.of("", "0", "59s", "-168h", "87601h", "7d", "168", "1h" + "0".repeat(70))) {
      ImageRemovalSpec spec = new ImageRemovalSpec();
      PruneSpec prune = new PruneSpec();
      prune.setAll(true);
      prune.setUnusedFor(unused);
      spec.setPrune(prune);
      assertThat(SpecValidator.validate(spec))
          .singleElement()
          .asString()
          .startsWith("spec.prune.unusedFor: invalid value ")
          .satisfies(
              m ->
                  assertThat(m)
                      .contains(unused.length() > 64 ? "at most 64" : "\"" + unused + "\""));
    }
    for (String fine : List.of("1m", "168h", "1.5h", "87600h", "2h45m")) {
      ImageRemovalSpec spec = new ImageRemovalSpec();
      PruneSpec prune = new PruneSpec();
      prune.setUnusedFor(fine);
      spec.setPrune(prune);
      assertThat(SpecValidator.validate(spec)).as(fine).isEmpty();
    }
  }

  @Test
  void imageBytesThresholdsAreQuantitiesWithLowBelowHigh() {
    assertThat(problems("20Gi", "15Gi")).isEmpty();
    assertThat(problems("1073741824", "500M")).isEmpty();
    assertThat(problems("15Gi", "20Gi"))
        .containsExactly(
            "spec.prune.imageBytes.low: invalid value \"20Gi\": must be below high (15Gi)");
    assertThat(problems("1Gi", "1024Mi"))
        .containsExactly(
            "spec.prune.imageBytes.low: invalid value \"1024Mi\": must be below high (1Gi)");
    assertThat(problems("-1Gi", "1"))
        .containsExactly(
            "spec.prune.imageBytes.high: invalid value \"-1Gi\": must be a quantity of bytes of at"
                + " most 32 characters, such as 20Gi or 500M");
    assertThat(problems(null, "1"))
        .containsExactly(
            "spec.prune.imageBytes.high: Required value: a quantity of bytes such as 20Gi");
    assertThat(problems("9".repeat(40), "1"))
        .containsExactly(
            "spec.prune.imageBytes.high: invalid value of 40 characters: must be a quantity of"
                + " bytes of at most 32 characters, such as 20Gi or 500M");
    assertThat(problems("99999999999999999999Ei", "1")).hasSize(1);
  }

  private static List<String> problems(String high, String low) {
    ImageRemovalSpec spec = new ImageRemovalSpec();
    PruneSpec prune = new PruneSpec();
    prune.setAll(true);
    ImageBytesThreshold t = new ImageBytesThreshold();
    t.setHigh(high);
    t.setLow(low);
    prune.setImageBytes(t);
    spec.setPrune(prune);
    return SpecValidator.validate(spec);
  }

  @Test
  void theReferenceParserThrowsOnlyItsOwnErrorInBoundedTime() {
    int parsed = 0;
    for (int i = 0; i < CASES; i++) {
      String reference =
          random.nextInt(5) == 0 ? "a/".repeat(random.nextInt(3000)) + "a" : hostile();
      boolean ok =
          assertTimeoutPreemptively(
              PER_CASE,
              () -> {
                try {
                  DockerReference.parseNormalizedNamed(reference);
                  return true;
                } catch (InvalidReferenceException e) {
                  assertThat(e.getMessage()).isNotBlank();
                  return false;
                }
              });
      if (ok) parsed++;
    }
    assertThat(parsed).as("some short a/a/... references are valid").isPositive();
  }
}
