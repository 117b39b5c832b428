package io.kubermi.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Gives an image an older creation time the only way Docker allows: {@code docker save}, the
 * config's {@code created} (and its history's) rewritten, the config renamed to its new digest,
 * {@code docker load}. The image gets a new ID; its tag moves to it.
 */
public final class ImageAging {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ImageAging() {}

  /** Returns the aged image's ID; {@code ref} must be a tag. */
  public static String age(DockerDaemon d, String ref, Instant created) {
    try {
      Path dir = Files.createTempDirectory(d.dir().path(), "age");
      Path tar = dir.resolve("in.tar");
      d.dockerOk("save", "-o", tar.toString(), ref);
      Path x = Files.createDirectory(dir.resolve("x"));
      Sh.run(List.of("tar", "-xf", tar.toString(), "-C", x.toString())).orThrow();
      ArrayNode manifest = (ArrayNode) JSON.readTree(x.resolve("manifest.json").toFile());
      ObjectNode entry = (ObjectNode) manifest.get(0);
      Path configFile = x.resolve(entry.get("Config").asText());
      ObjectNode config = (ObjectNode) JSON.readTree(configFile.toFile());
      config.put("created", created.toString());
      for (JsonNode h : config.path("history")) ((ObjectNode) h).put("created", created.toString());
      byte[] bytes = JSON.writeValueAsBytes(config);
      String hex = Sha256.hex(bytes);
      Files.delete(configFile);
      Files.write(x.resolve(hex + ".json"), bytes);
      entry.put("Config", hex + ".json");
      Files.write(x.resolve("manifest.json"), JSON.writeValueAsBytes(manifest));
      Files.deleteIfExists(x.resolve("repositories"));
      Path out = dir.resolve("out.tar");
      Sh.run(List.of("tar", "-cf", out.toString(), "-C", x.toString(), ".")).orThrow();
      d.dockerOk("rmi", ref);
      d.dockerOk("load", "-q", "-i", out.toString());
      return "sha256:" + hex;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
