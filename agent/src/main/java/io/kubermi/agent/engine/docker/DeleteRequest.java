package io.kubermi.agent.engine.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds {@code DELETE /v<api>/images/{name}?force=1&noprune=1&platforms=...}. The name is
 * percent-encoded byte by byte except for characters a reference may contain unescaped, so no
 * {@code ?}, {@code #}, {@code %}, space or control character can alter the path or the query.
 */
final class DeleteRequest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeleteRequest() {}

  static String path(
      String apiVersion,
      String reference,
      boolean force,
      boolean noPrune,
      List<String> platformJson) {
    StringBuilder b =
        new StringBuilder("/v").append(apiVersion).append("/images/").append(escapePath(reference));
    char sep = '?';
    if (force) {
      b.append(sep).append("force=1");
      sep = '&';
    }
    if (noPrune) {
      b.append(sep).append("noprune=1");
      sep = '&';
    }
    for (String p : platformJson) {
      b.append(sep).append("platforms=").append(escapeQuery(p));
      sep = '&';
    }
    return b.toString();
  }

  /**
   * An OCI platform ({@code os[/arch[/variant]]}) as the platforms parameter takes it; arch
   * defaults to the node's.
   */
  static String platformJson(String platform, String nodeArch) {
    String[] parts = platform.split("/");
    ObjectNode node =
        JSON.createObjectNode()
            .put("os", parts[0])
            .put("architecture", parts.length > 1 ? parts[1] : nodeArch);
    if (parts.length > 2) {
      node.put("variant", parts[2]);
    }
    return node.toString();
  }

  /** Keeps {@code A-Z a-z 0-9 - . _ ~ / : @}; everything else becomes %XX of its UTF-8 bytes. */
  static String escapePath(String s) {
    return escape(s, "-._~/:@");
  }

  static String escapeQuery(String s) {
    return escape(s, "-._~");
  }

  private static String escape(String s, String keep) {
    StringBuilder b = new StringBuilder();
    for (byte raw : s.getBytes(StandardCharsets.UTF_8)) {
      int c = raw & 0xff;
      boolean unreserved =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || (c < 0x80 && keep.indexOf(c) >= 0);
      if (unreserved) {
        b.append((char) c);
      } else {
        b.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return b.toString();
  }
}
