package io.kubermi.docs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;

/**
 * A core/v1 Secret in Kubernetes' protobuf encoding ({@code k8s\0} + runtime.Unknown around the
 * Secret message), turned into its JSON form. helm writes its release records this way and the
 * embedded API server stores only JSON. Field numbers are those of k8s.io/api's generated.proto;
 * the fields helm does not set are skipped.
 */
final class ProtobufSecret {
  private static final byte[] MAGIC = {'k', '8', 's', 0};
  private static final ObjectMapper JSON = new ObjectMapper();

  private ProtobufSecret() {}

  static boolean isProtobuf(String contentType) {
    return contentType != null && contentType.startsWith("application/vnd.kubernetes.protobuf");
  }

  static String toJson(byte[] body) throws IOException {
    if (body.length < 4 || !Arrays.equals(Arrays.copyOf(body, 4), MAGIC)) {
      throw new IOException("not a Kubernetes protobuf body");
    }
    ByteString raw = null;
    CodedInputStream unknown = CodedInputStream.newInstance(body, 4, body.length - 4);
    for (int tag = unknown.readTag(); tag != 0; tag = unknown.readTag()) {
      if (tag >>> 3 == 2) raw = unknown.readBytes();
      else unknown.skipField(tag);
    }
    if (raw == null) throw new IOException("protobuf body without an object");
    ObjectNode secret = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Secret");
    CodedInputStream in = raw.newCodedInput();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag >>> 3) {
        case 1 -> secret.set("metadata", metadata(in.readBytes().newCodedInput()));
        case 2 -> {
          ByteString[] entry = entry(in.readBytes().newCodedInput());
          secret
              .with("data")
              .put(
                  entry[0].toStringUtf8(),
                  Base64.getEncoder().encodeToString(entry[1].toByteArray()));
        }
        case 3 -> secret.put("type", in.readString());
        case 5 -> secret.put("immutable", in.readBool());
        default -> in.skipField(tag);
      }
    }
    return secret.toString();
  }

  private static ObjectNode metadata(CodedInputStream in) throws IOException {
    ObjectNode m = JSON.createObjectNode();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag >>> 3) {
        case 1 -> m.put("name", in.readString());
        case 3 -> m.put("namespace", in.readString());
        case 6 -> m.put("resourceVersion", in.readString());
        case 11, 12 -> {
          String field = tag >>> 3 == 11 ? "labels" : "annotations";
          ByteString[] entry = entry(in.readBytes().newCodedInput());
          m.with(field).put(entry[0].toStringUtf8(), entry[1].toStringUtf8());
        }
        default -> in.skipField(tag);
      }
    }
    return m;
  }

  /** A map entry: key (1) and value (2). */
  private static ByteString[] entry(CodedInputStream in) throws IOException {
    ByteString[] kv = {ByteString.EMPTY, ByteString.EMPTY};
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = tag >>> 3;
      if (field == 1 || field == 2) kv[field - 1] = in.readBytes();
      else in.skipField(tag);
    }
    return kv;
  }
}
