package io.kubermi.agent.engine.containerd;

import io.kubermi.agent.engine.containerd.api.ContainersProto;
import io.kubermi.agent.engine.containerd.api.SnapshotsProto;
import io.kubermi.agent.engine.store.StoredContainer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Images a pod mounts as image volumes ({@code volumes[].image}): the CRI plugin of containerd 2.1
 * and later mounts each as an active snapshot of the image's top layer, with no container of its
 * own, keyed {@code <state>/io.containerd.grpc.v1.cri/image-volumes/<sandbox id>/<hash>}. Each
 * counts as a running container using the image, so docker's rules keep it: a named removal meets
 * the in-use conflict (force cannot remove it) and a prune does not select it. It is named after
 * its pod's sandbox, a container of containerd's, whose pod namespace it takes (so a protected
 * namespace's volume is protected as its containers are). Other active snapshots on an image's
 * layers (another client's, an unpack in progress) are no use of the image: they hold the layer,
 * which the image's removal then does not claim.
 */
final class ImageMounts {
  static final String IMAGE_VOLUME_DIR = "/io.containerd.grpc.v1.cri/image-volumes/";

  private ImageMounts() {}

  static List<StoredContainer> find(
      List<SnapshotsProto.Info> active,
      List<ContainersProto.Container> containers,
      Map<String, List<String>> imagesByTop) {
    Map<String, String> podNamespaceById = new HashMap<>();
    for (ContainersProto.Container c : containers) {
      String ns = c.getLabelsMap().get(StoredContainer.POD_NAMESPACE_LABEL);
      if (ns != null) podNamespaceById.put(c.getId(), ns);
    }
    List<StoredContainer> mounts = new ArrayList<>();
    for (SnapshotsProto.Info s : active) {
      List<String> images = imagesByTop.get(s.getParent());
      String holder = sandboxOf(s.getName());
      if (images == null || holder == null) continue;
      for (String imageId : images) {
        mounts.add(new StoredContainer(holder, imageId, true, podNamespaceById.get(holder)));
      }
    }
    return mounts;
  }

  /** The pod sandbox of an image volume's key; null for any other key. */
  static String sandboxOf(String key) {
    int at = key.indexOf(IMAGE_VOLUME_DIR);
    if (at < 0) return null;
    String rest = key.substring(at + IMAGE_VOLUME_DIR.length());
    int slash = rest.indexOf('/');
    return slash > 0 ? rest.substring(0, slash) : null;
  }
}
