package io.kubermi.api.prune;

import io.fabric8.kubernetes.api.model.Quantity;
import io.kubermi.api.KubeRmi;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Kubernetes quantity of bytes ({@code 20Gi}, {@code 500M}, {@code 1073741824}): whole,
 * non-negative, within a long. The text is checked against the quantity grammar's shape first, so
 * the library never sees an unbounded or malformed string.
 */
public final class ByteQuantity {
  private static final Pattern SHAPE =
      Pattern.compile("[0-9]{1,19}(\\.[0-9]{1,9})?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?");

  private ByteQuantity() {}

  /** The bytes, or empty when the text is not such a quantity. */
  public static Optional<Long> parse(String text) {
    if (text == null
        || text.length() > KubeRmi.QUANTITY_MAX_LENGTH
        || !SHAPE.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      BigDecimal bytes = Quantity.getAmountInBytes(new Quantity(text));
      if (bytes.signum() < 0 || bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
        return Optional.empty();
      }
      return Optional.of(bytes.setScale(0, java.math.RoundingMode.CEILING).longValueExact());
    } catch (ArithmeticException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
