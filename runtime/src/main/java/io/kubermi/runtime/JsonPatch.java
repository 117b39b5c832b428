package io.kubermi.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * RFC 6902 patches that set a whole field ({@code add} replaces an existing member). Used for every
 * write of kube-rmi's objects: unlike a merge patch, it means the same on the API server and on
 * fabric8's test server, which appends to lists in merge patches.
 */
public final class JsonPatch {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonPatch() {}

  public static String set(String path, Object value) {
    ArrayNode ops = JSON.createArrayNode();
    add(ops, path, value);
    return ops.toString();
  }

  /**
   * Sets a whole field only if the object is still at {@code resourceVersion}: the API server (and
   * the test server) answer 409 Conflict when it moved on, as for an update.
   */
  public static String setIfAt(String resourceVersion, String path, Object value) {
    ArrayNode ops = JSON.createArrayNode();
    ops.addObject()
        .put("op", "replace")
        .put("path", "/metadata/resourceVersion")
        .put("value", resourceVersion);
    add(ops, path, value);
    return ops.toString();
  }

  private static void add(ArrayNode ops, String path, Object value) {
    ops.addObject()
        .put("op", "add")
        .put("path", path)
        .set("value", value instanceof JsonNode n ? n : JSON.valueToTree(value));
  }
}
