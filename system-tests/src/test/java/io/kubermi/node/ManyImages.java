package io.kubermi.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubermi.testing.Sh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One {@code docker save} style archive of many small images, each its own ID (a config of its own)
 * over one shared layer, for {@code ctr images import} in a single call.
 */
final class ManyImages {
  /** The label every image of the archive carries (its value: the image's name). */
  static final String LABEL = "kube-rmi.test/many";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ManyImages() {}

  static Path write(Path dir, List<String> names) throws IOException {
    Path content = Files.createDirectories(dir.resolve("content"));
    Files.writeString(content.resolve("marker"), "one layer shared by every image\n");
    Path out = Files.createDirectories(dir.resolve("archive"));
    Sh.run(List.of("tar", "cf", out.resolve("layer.tar").toString(), "-C", content.toString(), "."))
        .orThrow();
    String diffId = "sha256:" + sha256(Files.readAllBytes(out.resolve("layer.tar")));
    ArrayNode manifest = JSON.createArrayNode();
    for (String name : names) {
      ObjectNode config = JSON.createObjectNode().put("architecture", "amd64").put("os", "linux");
      config.putObject("config").putObject("Labels").put(LABEL, name);
      config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(diffId);
      byte[] bytes = JSON.writeValueAsBytes(config);
      String file = sha256(bytes) + ".json";
      Files.write(out.resolve(file), bytes);
      ObjectNode entry = manifest.addObject().put("Config", file);
      entry.putArray("RepoTags").add(name);
      entry.putArray("Layers").add("layer.tar");
    }
    Files.write(out.resolve("manifest.json"), JSON.writeValueAsBytes(manifest));
    Path archive = dir.resolve("many.tar");
    Sh.run(List.of("tar", "cf", archive.toString(), "-C", out.toString(), ".")).orThrow();
    return archive;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
