package io.kubermi.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** go-units HumanSize's rule (decimal units, %.4g); the prune differential checks real ones. */
class HumanSizeTest {
  @Test
  void decimalUnitsFourSignificantDigits() {
    assertThat(HumanSize.of(0)).isEqualTo("0B");
    assertThat(HumanSize.of(999)).isEqualTo("999B");
    assertThat(HumanSize.of(4096)).isEqualTo("4.096kB");
    assertThat(HumanSize.of(1_982_464)).isEqualTo("1.982MB");
    assertThat(HumanSize.of(3_964_928)).isEqualTo("3.965MB");
    assertThat(HumanSize.of(12_340_000)).isEqualTo("12.34MB");
    assertThat(HumanSize.of(100_000)).isEqualTo("100kB");
    assertThat(HumanSize.of(1_500_000_000L)).isEqualTo("1.5GB");
  }
}
