package io.kubermi.agent.engine.containerd;

import io.kubermi.agent.engine.RemovalOptions;
import io.kubermi.agent.engine.rules.Resolution;
import io.kubermi.agent.engine.rules.RmiItem;
import io.kubermi.agent.engine.rules.RmiPlanner;
import io.kubermi.agent.engine.rules.RmiResponse;
import io.kubermi.api.reference.DockerReference;
import io.kubermi.api.reference.InvalidReferenceException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code docker rmi -f --platform P IMAGE} on containerd: deletes one platform's manifest, config
 * and layer blobs, keeps the names and the index. Unlike Docker (which deletes the blobs even when
 * another image shares them), a blob still needed by any other platform or image stays. In a dry
 * run it answers the same and deletes nothing; it remembers what it planned away, so a later
 * argument sees that platform gone as it would after a real removal.
 */
final class PlatformRemoval {
  static final String NEEDS_FORCE =
      "Content will be removed from all images referencing this variant. Use \u2014-force to force delete.";

  private final ContainerdClient client;
  private final Platform node;
  private final ContainerdState state;
  private final boolean dryRun;
  private final Set<String> plannedAway = new HashSet<>();
  private long reclaimed;

  PlatformRemoval(ContainerdClient client, Platform node, ContainerdState state, boolean dryRun) {
    this.client = client;
    this.node = node;
    this.state = state;
    this.dryRun = dryRun;
  }

  RmiResponse remove(String ref, RemovalOptions options) {
    if (!options.force()) {
      return RmiResponse.error(400, NEEDS_FORCE);
    }
    Resolution r = new RmiPlanner(state.model()).resolve(ref);
    if (r.error() != null) {
      return r.error();
    }
    String imageId = r.imageId();
    List<ContainerdState.PlatformManifest> entries =
        state.platformsByImage().getOrDefault(imageId, List.of());
    String name = state.namesByImage().get(imageId).get(0);
    List<RmiItem> items = new ArrayList<>();
    // As in a real removal, where the store is read again only before the next argument.
    Set<String> removedNow = new HashSet<>();
    for (String requested : options.platforms()) {
      Platform p = Platform.parse(requested, node);
      ContainerdState.PlatformManifest target =
          entries.stream()
              .filter(e -> e.present() && !plannedAway.contains(key(e)) && e.platform().matches(p))
              .findFirst()
              .orElse(null);
      if (target == null) {
        return RmiResponse.error(
            404,
            "failed to delete platform "
                + p
                + " for image "
                + imageId
                + ": image with reference "
                + familiar(name)
                + " was found but does not provide any platform");
      }
      if (!dryRun) {
        deleteBlobs(target);
      }
      removedNow.add(key(target));
      items.add(RmiItem.deleted(target.manifestDigest()));
    }
    plannedAway.addAll(removedNow);
    return RmiResponse.ok(items);
  }

  private void deleteBlobs(ContainerdState.PlatformManifest target) {
    Set<String> retained = retainedBlobs(target);
    // Children first, the manifest last: once the manifest goes, garbage collection may take
    // its children too, which is why a blob already gone counts as deleted.
    List<String> blobs = new ArrayList<>(target.blobs());
    Collections.reverse(blobs);
    Map<String, Long> sizes = new HashMap<>();
    for (String blob : blobs) {
      if (!retained.contains(blob)) {
        long size = client.blobSize(blob);
        if (size >= 0) sizes.put(blob, size);
      }
    }
    for (String blob : blobs) {
      if (!retained.contains(blob)) {
        client.deleteBlob(blob);
      }
    }
    reclaimed += sizes.values().stream().mapToLong(Long::longValue).sum();
  }

  private static String key(ContainerdState.PlatformManifest m) {
    return m.indexDigest() + "/" + m.manifestDigest();
  }

  /** Bytes of the blobs this removal deleted. */
  long reclaimedBytes() {
    return reclaimed;
  }

  /** Blobs some other platform entry or image still needs. */
  private Set<String> retainedBlobs(ContainerdState.PlatformManifest removed) {
    Set<String> retained = new HashSet<>();
    for (Map.Entry<String, List<ContainerdState.PlatformManifest>> e :
        state.platformsByImage().entrySet()) {
      for (ContainerdState.PlatformManifest m : e.getValue()) {
        if (!(m.indexDigest().equals(removed.indexDigest())
            && m.manifestDigest().equals(removed.manifestDigest()))) {
          retained.addAll(m.blobs());
        }
      }
    }
    retained.addAll(state.singleManifestBlobs());
    return retained;
  }

  /** Docker names the image in its familiar form ({@code multi:1}), as its CLI prints names. */
  private static String familiar(String containerdName) {
    try {
      return DockerReference.parseNormalizedNamed(containerdName).familiarString();
    } catch (InvalidReferenceException notAName) {
      return containerdName; // the CRI's sha256:<id> name
    }
  }
}
