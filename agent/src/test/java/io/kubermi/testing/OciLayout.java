package io.kubermi.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a multi-platform OCI image archive for {@code ctr images import}: every platform shares
 * one base layer (the busybox rootfs) and has a small layer of its own; an index lists them.
 */
public final class OciLayout {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The blobs of one platform: its manifest, config, own layer, and the shared base layer. */
  public record Parts(String manifest, String config, String ownLayer, String sharedLayer) {}

  public record Result(Path archive, String index, Map<String, Parts> platforms) {}

  private final Path dir;
  private final Path blobs;

  private OciLayout(Path dir) {
    this.dir = dir;
    this.blobs = dir.resolve("blobs/sha256");
  }

  /**
   * platforms as {@code os/arch[/variant]}; name fully normalized, e.g. docker.io/library/app:2.1.
   */
  public static Result build(Path workDir, String name, List<String> platforms) {
    try {
      OciLayout layout =
          new OciLayout(Files.createDirectories(workDir.resolve("oci-" + System.nanoTime())));
      Files.createDirectories(layout.blobs);
      return layout.write(workDir, name, platforms);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Result write(Path workDir, String name, List<String> platforms) throws IOException {
    byte[] shared =
        Files.readAllBytes(new RootfsFactory(workDir.resolve("rootfs")).tar("oci-shared-base"));
    String sharedDigest = blob(shared);
    ArrayNode entries = JSON.createArrayNode();
    Map<String, Parts> parts = new LinkedHashMap<>();
    for (String platform : platforms) {
      String[] p = platform.split("/");
      byte[] own = ownLayer(workDir, platform);
      String ownDigest = blob(own);
      ObjectNode config = JSON.createObjectNode().put("architecture", p[1]).put("os", p[0]);
      if (p.length > 2) config.put("variant", p[2]);
      config.putObject("config").putArray("Cmd").add("/bin/busybox").add("sleep").add("100000");
      ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
      rootfs.putArray("diff_ids").add(sharedDigest).add(ownDigest);
      byte[] configBytes = JSON.writeValueAsBytes(config);
      String configDigest = blob(configBytes);
      ObjectNode manifest =
          JSON.createObjectNode()
              .put("schemaVersion", 2)
              .put("mediaType", "application/vnd.oci.image.manifest.v1+json");
      manifest.set(
          "config",
          descriptor("application/vnd.oci.image.config.v1+json", configDigest, configBytes.length));
      manifest
          .putArray("layers")
          .add(descriptor("application/vnd.oci.image.layer.v1.tar", sharedDigest, shared.length))
          .add(descriptor("application/vnd.oci.image.layer.v1.tar", ownDigest, own.length));
      byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
      String manifestDigest = blob(manifestBytes);
      ObjectNode entry =
          descriptor(
              "application/vnd.oci.image.manifest.v1+json", manifestDigest, manifestBytes.length);
      ObjectNode plat = entry.putObject("platform").put("architecture", p[1]).put("os", p[0]);
      if (p.length > 2) plat.put("variant", p[2]);
      entries.add(entry);
      parts.put(platform, new Parts(manifestDigest, configDigest, ownDigest, sharedDigest));
    }
    ObjectNode index =
        JSON.createObjectNode()
            .put("schemaVersion", 2)
            .put("mediaType", "application/vnd.oci.image.index.v1+json");
    index.set("manifests", entries);
    byte[] indexBytes = JSON.writeValueAsBytes(index);
    String indexDigest = blob(indexBytes);
    ObjectNode top = JSON.createObjectNode().put("schemaVersion", 2);
    ObjectNode ref =
        descriptor("application/vnd.oci.image.index.v1+json", indexDigest, indexBytes.length);
    ref.putObject("annotations")
        .put("io.containerd.image.name", name)
        .put("org.opencontainers.image.ref.name", name.substring(name.lastIndexOf(':') + 1));
    top.putArray("manifests").add(ref);
    Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(top));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Path archive = workDir.resolve(dir.getFileName() + ".tar");
    Sh.run(List.of("tar", "-C", dir.toString(), "-cf", archive.toString(), ".")).orThrow();
    return new Result(archive, indexDigest, parts);
  }

  private static byte[] ownLayer(Path workDir, String platform) throws IOException {
    Path root =
        Files.createDirectories(
            workDir.resolve("own-" + platform.replace('/', '-') + "-" + System.nanoTime()));
    Files.writeString(root.resolve("platform"), platform + "\n");
    Path tar = workDir.resolve(root.getFileName() + ".tar");
    Sh.run(
            List.of(
                "tar",
                "--sort=name",
                "--owner=0",
                "--group=0",
                "--numeric-owner",
                "--mtime=@0",
                "-C",
                root.toString(),
                "-cf",
                tar.toString(),
                "platform"))
        .orThrow();
    return Files.readAllBytes(tar);
  }

  private static ObjectNode descriptor(String mediaType, String digest, long size) {
    return JSON.createObjectNode()
        .put("mediaType", mediaType)
        .put("digest", digest)
        .put("size", size);
  }

  private String blob(byte[] bytes) throws IOException {
    String hex = Sha256.hex(bytes);
    Files.write(blobs.resolve(hex), bytes);
    return "sha256:" + hex;
  }
}
