package io.kubermi.agent.engine.store;

import io.kubermi.api.reference.DockerReference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node's image store in engine-neutral terms: images, the references (tags and digests) that
 * point at them, and containers. The planner reads and changes it as the daemon would.
 */
public final class ImageStoreModel {
  private final Map<String, StoredImage> images = new LinkedHashMap<>();
  private final Map<DockerReference, String> references = new LinkedHashMap<>();
  private final List<StoredContainer> containers = new ArrayList<>();
  private final Set<String> pinned = new HashSet<>();

  /**
   * Containers keep their image's layers after a forced delete; remember them for later deletes.
   */
  private final Map<String, List<String>> layersOfDeletedImages = new LinkedHashMap<>();

  public ImageStoreModel addImage(StoredImage image) {
    images.put(image.id(), image);
    return this;
  }

  /** Points a normalized reference at an image (a tag or a digest reference). */
  public ImageStoreModel addReference(DockerReference ref, String imageId) {
    references.put(ref, imageId);
    return this;
  }

  public ImageStoreModel addContainer(StoredContainer container) {
    containers.add(container);
    return this;
  }

  /** Marks an image the container runtime pins (its sandbox image): never removed. */
  public ImageStoreModel pin(String imageId) {
    pinned.add(imageId);
    return this;
  }

  public boolean isPinned(String imageId) {
    return pinned.contains(imageId);
  }

  public StoredImage image(String id) {
    return images.get(id);
  }

  public List<StoredImage> images() {
    return List.copyOf(images.values());
  }

  public List<StoredContainer> containers() {
    return List.copyOf(containers);
  }

  public String imageOf(DockerReference ref) {
    return references.get(ref);
  }

  /** The image's references in docker's order: by the fully normalized string. */
  public List<DockerReference> referencesOf(String imageId) {
    return references.entrySet().stream()
        .filter(e -> e.getValue().equals(imageId))
        .map(Map.Entry::getKey)
        .sorted(Comparator.comparing(DockerReference::toString))
        .toList();
  }

  public void removeReference(DockerReference ref) {
    references.remove(ref);
  }

  public List<String> childrenOf(String imageId) {
    return images.values().stream()
        .filter(i -> imageId.equals(i.parentId()))
        .map(StoredImage::id)
        .toList();
  }

  /**
   * Removes the image and returns the layer chain IDs released with it, top to bottom: the layers
   * no remaining image or container (whose writable layer sits on its image's top) still holds.
   */
  public List<String> deleteImage(String imageId) {
    StoredImage gone = images.remove(imageId);
    Set<String> held = new HashSet<>();
    for (StoredImage i : images.values()) {
      held.addAll(i.chainIds());
    }
    for (StoredContainer c : containers) {
      List<String> chain = chainOfContainer(c, gone);
      held.addAll(chain);
    }
    List<String> released = new ArrayList<>();
    List<String> chain = gone.chainIds();
    for (int i = chain.size() - 1; i >= 0 && !held.contains(chain.get(i)); i--) {
      released.add(chain.get(i));
    }
    layersOfDeletedImages.put(imageId, gone.chainIds());
    return released;
  }

  private List<String> chainOfContainer(StoredContainer c, StoredImage justDeleted) {
    StoredImage image = images.get(c.imageId());
    if (image != null) return image.chainIds();
    if (justDeleted != null && justDeleted.id().equals(c.imageId())) return justDeleted.chainIds();
    return layersOfDeletedImages.getOrDefault(c.imageId(), List.of());
  }

  /** A deep copy, so a dry run can play on it without touching the snapshot. */
  public ImageStoreModel copy() {
    ImageStoreModel m = new ImageStoreModel();
    m.images.putAll(images);
    m.references.putAll(references);
    m.containers.addAll(containers);
    m.pinned.addAll(pinned);
    m.layersOfDeletedImages.putAll(layersOfDeletedImages);
    return m;
  }

  /** Image IDs starting with the hex prefix. */
  public List<String> idsWithPrefix(String hexPrefix) {
    return images.keySet().stream().filter(id -> id.startsWith("sha256:" + hexPrefix)).toList();
  }

  /** Which of these IDs are an image's ID or one of its layers' chain IDs in this store. */
  public Set<String> holding(Collection<String> ids) {
    Set<String> held = new HashSet<>();
    for (StoredImage image : images()) {
      held.add(image.id());
      held.addAll(image.chainIds());
    }
    held.retainAll(new HashSet<>(ids));
    return held;
  }
}
