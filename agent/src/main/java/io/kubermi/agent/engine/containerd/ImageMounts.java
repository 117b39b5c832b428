package io.kubermi.agent.engine.containerd;

import io.kubermi.agent.engine.containerd.api.ContainersProto;
import io.kubermi.agent.engine.containerd.api.SnapshotsProto;
import io.kubermi.agent.engine.store.StoredContainer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Images mounted without a container of their own: a pod's image volume ({@code volumes[].image},
 * which the CRI plugin of containerd 2.1 and later mounts as an active snapshot of the image's top
 * layer, keyed {@code .../image-volumes/<sandbox id>/<hash>}), or any other active snapshot on an
 * image's top layer that no container owns ({@code ctr images mount}). Each counts as a running
 * container using the image, so docker's rules keep it: a named removal meets the in-use conflict
 * (force cannot remove it) and a prune does not select it. An image volume is named after its pod's
 * sandbox, a container of containerd's, whose pod namespace it takes (so a protected namespace's
 * volume is protected as its containers are). An unpack in progress ({@code extract-} keys) holds a
 * lower layer only while it runs, and is no use of that layer's image.
 */
final class ImageMounts {
  static final String IMAGE_VOLUME_DIR = "/image-volumes/";
  private static final String UNPACK_PREFIX = "extract-";

  private ImageMounts() {}

  static List<StoredContainer> find(
      List<SnapshotsProto.Info> active,
      List<ContainersProto.Container> containers,
      Map<String, List<String>> imagesByTop) {
    Set<String> ownedByContainers = new HashSet<>();
    Map<String, String> podNamespaceById = new HashMap<>();
    for (ContainersProto.Container c : containers) {
      ownedByContainers.add(c.getSnapshotKey());
      String ns = c.getLabelsMap().get(StoredContainer.POD_NAMESPACE_LABEL);
      if (ns != null) podNamespaceById.put(c.getId(), ns);
    }
    List<StoredContainer> mounts = new ArrayList<>();
    for (SnapshotsProto.Info s : active) {
      List<String> images = imagesByTop.get(s.getParent());
      if (images == null
          || ownedByContainers.contains(s.getName())
          || s.getName().startsWith(UNPACK_PREFIX)) {
        continue;
      }
      String holder = holder(s.getName());
      for (String imageId : images) {
        mounts.add(new StoredContainer(holder, imageId, true, podNamespaceById.get(holder)));
      }
    }
    return mounts;
  }

  /** The pod sandbox of an image volume's key; the key itself for any other mount. */
  static String holder(String key) {
    int at = key.indexOf(IMAGE_VOLUME_DIR);
    if (at < 0) return key;
    String rest = key.substring(at + IMAGE_VOLUME_DIR.length());
    int slash = rest.indexOf('/');
    return slash > 0 ? rest.substring(0, slash) : key;
  }
}
