package io.kubermi.agent.cli;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Sizes as docker prints them (go-units {@code HumanSize}): decimal units, four significant digits,
 * no trailing zeros: {@code 0B}, {@code 4.1kB}, {@code 12.34MB}.
 */
public final class HumanSize {
  private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};

  private HumanSize() {}

  public static String of(long bytes) {
    double size = bytes;
    int unit = 0;
    while (size >= 1000 && unit < UNITS.length - 1) {
      size /= 1000;
      unit++;
    }
    BigDecimal rounded = new BigDecimal(size).round(new MathContext(4)).stripTrailingZeros();
    return rounded.toPlainString() + UNITS[unit];
  }
}
