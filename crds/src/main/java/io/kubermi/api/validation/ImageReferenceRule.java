package io.kubermi.api.validation;

import io.kubermi.api.reference.DockerReference;
import io.kubermi.api.reference.InvalidReferenceException;
import io.kubermi.api.reference.ReferenceGrammar;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a string is something docker rmi takes: a reference, an image ID or an ID prefix. The CRD
 * schema carries the same grammar ({@link ReferenceGrammar#REFERENCE}); this adds the length of the
 * normalized name, which a pattern cannot express.
 */
public final class ImageReferenceRule {
  private static final Pattern GRAMMAR = Pattern.compile(ReferenceGrammar.REFERENCE);
  private static final Pattern ID = Pattern.compile("^(sha256:)?[a-f0-9]{64}$");

  private ImageReferenceRule() {}

  /** Null when valid, else why not (docker's wording where docker has one). */
  public static String check(String image) {
    if (image == null || image.isEmpty()) {
      return "must not be empty";
    }
    if (image.length() > ReferenceGrammar.REFERENCE_MAX_LENGTH) {
      return "too long: "
          + image.length()
          + " characters, at most "
          + ReferenceGrammar.REFERENCE_MAX_LENGTH;
    }
    if (ID.matcher(image).matches()) {
      return null;
    }
    if (!GRAMMAR.matcher(image).matches()) {
      return image.toLowerCase(Locale.ROOT).equals(image)
              || !GRAMMAR.matcher(image.toLowerCase(Locale.ROOT)).matches()
          ? DockerReference.ERR_FORMAT
          : DockerReference.ERR_UPPERCASE;
    }
    try {
      DockerReference.parseNormalizedNamed(image);
      return null;
    } catch (InvalidReferenceException e) {
      return e.getMessage();
    }
  }
}
