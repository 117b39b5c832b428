package io.kubermi.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Values of the {@code kube-rmi.io/node} label and names of NodeImageRemovals. A node name may be
 * 253 characters but a label value only 63: a longer name is replaced by a stable hash, the same
 * one the agent computes for its selector.
 */
public final class NodeLabel {
  private static final Pattern LABEL_VALUE =
      Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$");

  private NodeLabel() {}

  public static String value(String nodeName) {
    return LABEL_VALUE.matcher(nodeName).matches()
        ? nodeName
        : "h-" + sha256(nodeName).substring(0, 40);
  }

  /**
   * {@code <removal>-<node>-<hash>}: the hash, 8 hex digits of the pair's SHA-256, tells apart
   * pairs whose plain names would meet ({@code x} on node {@code pool-a-1} and {@code x-pool} on
   * node {@code a-1}). Over the 253-character name limit the node's part is left out and the hash
   * is longer.
   */
  public static String childName(String removal, String nodeName) {
    String hash = sha256(removal + "/" + nodeName);
    String name = removal + "-" + nodeName + "-" + hash.substring(0, 8);
    return name.length() <= 253
        ? name
        : removal.substring(0, Math.min(removal.length(), 200)) + "-" + hash.substring(0, 40);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
