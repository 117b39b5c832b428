package io.kubermi.testing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The SHA-256 digests that fixtures name blobs, configs and layers by. */
public final class Sha256 {
  private Sha256() {}

  /** The lowercase hex digest of {@code bytes}, without the {@code sha256:} prefix. */
  public static String hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
