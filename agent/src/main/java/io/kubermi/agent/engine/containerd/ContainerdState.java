package io.kubermi.agent.engine.containerd;

import io.kubermi.agent.engine.store.ImageStoreModel;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A containerd node as the rules see it ({@link #model}), plus what executing them needs: every
 * containerd name of each image (including the CRI's {@code sha256:<id>} name), the pinned images,
 * the platform manifests of multi-platform images, the blobs single-platform images need, the
 * committed snapshots, and every blob each image's names reach (what garbage collection may take
 * when the image goes).
 */
record ContainerdState(
    ImageStoreModel model,
    Map<String, List<String>> namesByImage,
    Set<String> pinned,
    Map<String, List<PlatformManifest>> platformsByImage,
    Set<String> singleManifestBlobs,
    Set<String> snapshots,
    Map<String, Set<String>> blobsByImage) {

  /** One entry of an index: its platform, and the blobs it needs (manifest, config, layers). */
  record PlatformManifest(
      String indexDigest,
      Platform platform,
      String manifestDigest,
      List<String> blobs,
      boolean present) {}
}
