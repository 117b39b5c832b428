package io.kubermi.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubermi.testing.Sh;
import io.kubermi.testing.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * An archive in {@code docker save}'s format holding images {@code <round>:<i>} of one or more
 * layers each, every layer one small file of its own (no layer shared), written without an engine:
 * one {@code docker load} or {@code ctr images import} takes them all, where an import per image
 * cost a CLI call and a daemon request each (about 20 s for 64 images on the CI machine, most of a
 * fault round).
 */
public final class ImageArchive {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CREATED = "2026-01-01T00:00:00Z";

  /** The archive and each image's ID (the digest of its config), by name. */
  public record Archive(Path tar, Map<String, String> idsByName) {}

  private ImageArchive() {}

  /** {@code count} images of {@code layers} layers each. */
  public static Archive write(Path workDir, String round, int count, int layers)
      throws IOException {
    Path root = Files.createDirectories(workDir.resolve("archive-" + round));
    String[][] diffIds = new String[count][layers];
    IntStream.range(0, count * layers)
        .parallel()
        .forEach(n -> diffIds[n / layers][n % layers] = layer(workDir, root, round, n));
    ArrayNode manifest = JSON.createArrayNode();
    Map<String, String> ids = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      byte[] config = JSON.writeValueAsBytes(config(diffIds[i]));
      String hex = Sha256.hex(config);
      Files.write(root.resolve(hex + ".json"), config);
      String name = round + ":" + i;
      ObjectNode entry = manifest.addObject().put("Config", hex + ".json");
      entry.putArray("RepoTags").add(name);
      ArrayNode files = entry.putArray("Layers");
      for (int l = 0; l < layers; l++) files.add("layer" + (i * layers + l) + ".tar");
      ids.put(name, "sha256:" + hex);
    }
    Files.write(root.resolve("manifest.json"), JSON.writeValueAsBytes(manifest));
    Path tar = workDir.resolve("archive-" + round + ".tar");
    Sh.run(List.of("tar", "-C", root.toString(), "-cf", tar.toString(), ".")).orThrow();
    return new Archive(tar, ids);
  }

  /** Writes layer {@code i} (one file naming it) into the archive; its diff ID. */
  private static String layer(Path workDir, Path root, String round, int i) {
    try {
      Path src = Files.createDirectories(workDir.resolve("layer-" + round + "-" + i));
      Files.writeString(src.resolve("id"), round + "/" + i + "\n");
      Path tar = root.resolve("layer" + i + ".tar");
      Sh.run(List.of("tar", "-C", src.toString(), "-cf", tar.toString(), "id")).orThrow();
      return "sha256:" + Sha256.hex(Files.readAllBytes(tar));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode config(String[] diffIds) {
    ObjectNode config =
        JSON.createObjectNode()
            .put("architecture", hostArchitecture())
            .put("os", "linux")
            .put("created", CREATED);
    config.putObject("config");
    ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
    ArrayNode layers = rootfs.putArray("diff_ids");
    ArrayNode history = config.putArray("history");
    for (String diffId : diffIds) {
      layers.add(diffId);
      history.addObject().put("created", CREATED).put("created_by", "kube-rmi test archive");
    }
    return config;
  }

  /** The engines' name for this machine's architecture, so the images are the node's own. */
  private static String hostArchitecture() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64" -> "arm64";
      default -> arch;
    };
  }
}
