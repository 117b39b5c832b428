package io.kubermi.agent.engine.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Docker's layer chain IDs: chain(1) = diff(1); chain(n) = sha256(chain(n-1) + " " + diff(n)). */
public final class LayerChain {
  private LayerChain() {}

  public static List<String> chainIds(List<String> diffIds) {
    List<String> chain = new ArrayList<>(diffIds.size());
    for (String diff : diffIds) {
      chain.add(chain.isEmpty() ? diff : sha256(chain.get(chain.size() - 1) + " " + diff));
    }
    return chain;
  }

  private static String sha256(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
