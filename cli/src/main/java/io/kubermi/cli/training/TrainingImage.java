package io.kubermi.cli.training;

import io.kubermi.agent.engine.containerd.ContainerdEngine;
import io.kubermi.agent.engine.store.LayerChain;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one image the training's stand-in engines hold: a manifest, a config and one layer, with the
 * digests and the garbage-collection labels containerd gives an unpacked image.
 */
final class TrainingImage {
  static final String NAME = "docker.io/library/training:1";
  static final String MANIFEST_TYPE = "application/vnd.docker.distribution.manifest.v2+json";

  /** A blob's bytes and the labels containerd keeps on it. */
  record Blob(byte[] bytes, Map<String, String> labels) {}

  private final String chainId;
  private final String configDigest;
  private final String manifestDigest;
  private final Map<String, Blob> blobs = new LinkedHashMap<>();

  TrainingImage() {
    byte[] layer = "training layer".getBytes(StandardCharsets.UTF_8);
    String layerDigest = digest(layer); // uncompressed, so also its diff ID
    chainId = LayerChain.chainIds(List.of(layerDigest)).get(0);
    byte[] config =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2020-01-01T00:00:00Z\","
                + "\"config\":{\"Labels\":{\"training\":\"1\"}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + layerDigest
                + "\"]}}")
            .getBytes(StandardCharsets.UTF_8);
    configDigest = digest(config);
    byte[] manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\""
                + MANIFEST_TYPE
                + "\",\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\","
                + "\"digest\":\""
                + configDigest
                + "\",\"size\":"
                + config.length
                + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.docker.image.rootfs.diff.tar\",\"digest\":\""
                + layerDigest
                + "\",\"size\":"
                + layer.length
                + "}]}")
            .getBytes(StandardCharsets.UTF_8);
    manifestDigest = digest(manifest);
    blobs.put(
        manifestDigest,
        new Blob(
            manifest,
            Map.of(
                "containerd.io/gc.ref.content.config", configDigest,
                "containerd.io/gc.ref.content.l.0", layerDigest)));
    blobs.put(
        configDigest,
        new Blob(
            config,
            Map.of(
                "containerd.io/gc.ref.snapshot." + ContainerdEngine.DEFAULT_SNAPSHOTTER, chainId)));
    blobs.put(layerDigest, new Blob(layer, Map.of()));
  }

  String configDigest() {
    return configDigest;
  }

  String chainId() {
    return chainId;
  }

  long manifestSize() {
    return blobs.get(manifestDigest).bytes().length;
  }

  String manifestDigest() {
    return manifestDigest;
  }

  Map<String, Blob> blobs() {
    return blobs;
  }

  private static String digest(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
