package io.kubermi.agent.engine.containerd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.GroupExecutor;
import io.kubermi.agent.engine.containerd.api.ContainersProto;
import io.kubermi.agent.engine.containerd.api.ImagesProto;
import io.kubermi.agent.engine.containerd.api.SnapshotsProto;
import io.kubermi.agent.engine.containerd.api.TasksProto;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.LayerChain;
import io.kubermi.agent.engine.store.StoredContainer;
import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.api.reference.DockerReference;
import io.kubermi.api.reference.InvalidReferenceException;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a containerd namespace into the neutral model, the way the kubelet's CRI sees it: an image
 * is identified by its config digest; its references are every name that parses as one (the CRI's
 * {@code sha256:<id>} name is the ID, not a reference); a multi-platform image is the node's
 * platform's manifest. Containers are containerd's own (so not only the kubelet's); one whose task
 * runs (or is paused) counts as running, every other as stopped.
 */
final class ContainerdSnapshot {
  static final String PINNED_LABEL = "io.cri-containerd.pinned";
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int READERS = 8;
  private static final Set<String> MANIFEST_TYPES =
      Set.of(
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.docker.distribution.manifest.v2+json");
  private static final Set<String> INDEX_TYPES =
      Set.of(
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.list.v2+json");

  private final ContainerdClient client;
  private final Platform node;
  private final String snapshotter;

  private final Map<String, JsonNode> blobs;
  private final Map<String, GcLabels.Image> labelled;

  ContainerdSnapshot(ContainerdClient client, Platform node, String snapshotter, StoreCache cache) {
    this.client = client;
    this.node = node;
    this.snapshotter = snapshotter;
    this.blobs = cache.blobs;
    this.labelled = cache.labelled;
  }

  ContainerdSnapshot(ContainerdClient client, Platform node, String snapshotter) {
    this(client, node, snapshotter, new StoreCache());
  }

  /**
   * The store now.
   *
   * @param withConfigs read every image's config, for its creation time and labels (what prune's
   *     filters need); without it, an image whose garbage-collection labels say what it is is not
   *     read, and has neither unless its config was cached before
   */
  ContainerdState read(boolean withConfigs) {
    ImageStoreModel model = new ImageStoreModel();
    Map<String, List<String>> namesByImage = new LinkedHashMap<>();
    Set<String> pinned = new HashSet<>();
    Map<String, List<ContainerdState.PlatformManifest>> platforms = new HashMap<>();
    Set<String> singleManifestBlobs = new HashSet<>();
    Map<String, String> imageByName = new HashMap<>();
    Map<String, List<String>> imagesByTop = new HashMap<>();
    Map<String, Set<String>> blobsByImage = new HashMap<>();

    List<ImagesProto.Image> listed = client.listImages();
    Map<String, String> parentOfSnapshot = new HashMap<>();
    Set<String> committed = new HashSet<>();
    List<SnapshotsProto.Info> active = new ArrayList<>();
    for (SnapshotsProto.Info s : client.listSnapshots(snapshotter)) {
      parentOfSnapshot.put(s.getName(), s.getParent());
      if (s.getKind() == SnapshotsProto.Kind.COMMITTED) committed.add(s.getName());
      if (s.getKind() == SnapshotsProto.Kind.ACTIVE) active.add(s);
    }
    Map<String, Resolved> byLabels = withConfigs ? Map.of() : fromLabels(listed, parentOfSnapshot);
    List<String> toRead =
        listed.stream()
            .map(i -> i.getTarget().getDigest())
            .filter(d -> !byLabels.containsKey(d))
            .toList();
    prefetch(toRead);
    prefetch(
        toRead.stream()
            .map(blobs::get)
            .filter(doc -> doc != null && doc.has("config"))
            .map(doc -> doc.path("config").path("digest").asText())
            .toList());
    for (ImagesProto.Image image : listed) {
      Resolved r = byLabels.get(image.getTarget().getDigest());
      if (r == null) r = resolveTarget(image.getTarget());
      if (r == null) continue; // content missing: not an image the CRI would show either
      if (model.image(r.id) == null) {
        model.addImage(new StoredImage(r.id, null, r.chain, r.size, r.created, r.labels));
        if (!r.chain.isEmpty())
          imagesByTop
              .computeIfAbsent(r.chain.get(r.chain.size() - 1), k -> new ArrayList<>())
              .add(r.id);
      }
      if (!r.platforms.isEmpty()) {
        platforms.put(r.id, r.platforms);
      } else {
        singleManifestBlobs.add(image.getTarget().getDigest());
        singleManifestBlobs.addAll(r.blobs);
      }
      Set<String> reached = blobsByImage.computeIfAbsent(r.id, k -> new LinkedHashSet<>());
      reached.add(image.getTarget().getDigest());
      reached.addAll(r.blobs);
      r.platforms.forEach(p -> reached.addAll(p.blobs()));
      namesByImage.computeIfAbsent(r.id, k -> new ArrayList<>()).add(image.getName());
      imageByName.put(image.getName(), r.id);
      if ("pinned".equals(image.getLabelsMap().get(PINNED_LABEL))) {
        pinned.add(r.id);
        model.pin(r.id);
      }
      if (!image.getName().equals(r.id)) {
        try {
          model.addReference(DockerReference.parseNormalizedNamed(image.getName()), r.id);
        } catch (InvalidReferenceException notAReference) {
          // a name docker could not express (e.g. a bare digest other than the ID): deleted with
          // the image
        }
      }
    }

    Map<String, TasksProto.Status> taskStatus = new HashMap<>();
    for (TasksProto.Process p : client.listTasks()) {
      // containerd 1.6 fills only the task's id, which is its container's id; newer ones fill
      // container_id too
      taskStatus.put(p.getContainerId().isEmpty() ? p.getId() : p.getContainerId(), p.getStatus());
    }
    List<ContainersProto.Container> containers = client.listContainers();
    for (ContainersProto.Container c : containers) {
      TasksProto.Status st = taskStatus.get(c.getId());
      boolean running =
          st == TasksProto.Status.RUNNING
              || st == TasksProto.Status.PAUSED
              || st == TasksProto.Status.PAUSING;
      String byName = imageByName.get(c.getImage());
      // Without its name, a container sits on its image's top layer. Images built from the same
      // content share it; then the container counts against each of them: a conflict is better
      // than deleting an image a container may use.
      List<String> images =
          byName != null
              ? List.of(byName)
              : imagesByTop.getOrDefault(
                  parentOfSnapshot.get(c.getSnapshotKey()), List.of(c.getImage()));
      String podNamespace = c.getLabelsMap().get(StoredContainer.POD_NAMESPACE_LABEL);
      for (String imageId : images) {
        model.addContainer(new StoredContainer(c.getId(), imageId, running, podNamespace));
      }
    }
    for (StoredContainer mount : ImageMounts.find(active, containers, imagesByTop)) {
      model.addContainer(mount);
    }
    return new ContainerdState(
        model, namesByImage, pinned, platforms, singleManifestBlobs, committed, blobsByImage);
  }

  private record Resolved(
      String id,
      List<String> chain,
      long size,
      List<ContainerdState.PlatformManifest> platforms,
      List<String> blobs,
      Instant created,
      Map<String, String> labels) {}

  /**
   * The single-manifest targets that {@link GcLabels} resolves, by digest. Content is listed only
   * when a target is in neither cache (a warm read of a blob it has read costs no call either).
   */
  private Map<String, Resolved> fromLabels(
      List<ImagesProto.Image> listed, Map<String, String> parentOfSnapshot) {
    List<String> manifests =
        listed.stream()
            .map(ImagesProto.Image::getTarget)
            .filter(t -> MANIFEST_TYPES.contains(t.getMediaType())) // an index is read
            .map(ImagesProto.Descriptor::getDigest)
            .distinct()
            .toList();
    List<String> unknown =
        manifests.stream().filter(d -> !labelled.containsKey(d) && !blobs.containsKey(d)).toList();
    if (!unknown.isEmpty()) {
      Map<String, GcLabels.Blob> content = client.contentInfo();
      for (String digest : unknown) {
        GcLabels.Image i = GcLabels.resolve(digest, content, snapshotter, parentOfSnapshot);
        if (i != null) labelled.put(digest, i);
      }
    }
    Map<String, Resolved> resolved = new HashMap<>();
    for (String digest : manifests) {
      GcLabels.Image i = labelled.get(digest);
      if (i != null) {
        resolved.put(
            digest,
            new Resolved(
                i.configDigest(), i.chain(), i.size(), List.of(), i.blobs(), null, Map.of()));
      }
    }
    return resolved;
  }

  /** The image a name's target stands for: a manifest, or the node's manifest of an index. */
  private Resolved resolveTarget(ImagesProto.Descriptor target) {
    JsonNode doc = blob(target.getDigest());
    if (doc == null) return null;
    String mediaType =
        target.getMediaType().isEmpty() ? doc.path("mediaType").asText() : target.getMediaType();
    if (!INDEX_TYPES.contains(mediaType)) {
      return fromManifest(doc, List.of());
    }
    List<ContainerdState.PlatformManifest> entries = new ArrayList<>();
    JsonNode chosen = null;
    for (JsonNode m : doc.path("manifests")) {
      Platform p = Platform.of(m.path("platform"));
      String digest = m.path("digest").asText();
      // Presence is asked fresh: a platform's blobs can be deleted while its index stays.
      JsonNode manifest = client.hasBlob(digest) ? blob(digest) : null;
      List<String> needed = new ArrayList<>(List.of(digest));
      if (manifest != null) {
        needed.add(manifest.path("config").path("digest").asText());
        for (JsonNode l : manifest.path("layers")) needed.add(l.path("digest").asText());
      }
      entries.add(
          new ContainerdState.PlatformManifest(
              target.getDigest(), p, digest, needed, manifest != null));
      if (chosen == null && manifest != null && p.matches(node)) chosen = manifest;
    }
    return chosen == null ? null : fromManifest(chosen, entries);
  }

  private Resolved fromManifest(
      JsonNode manifest, List<ContainerdState.PlatformManifest> platforms) {
    String configDigest = manifest.path("config").path("digest").asText();
    long size = manifest.path("config").path("size").asLong();
    List<String> blobList = new ArrayList<>(List.of(configDigest));
    for (JsonNode l : manifest.path("layers")) {
      size += l.path("size").asLong();
      blobList.add(l.path("digest").asText());
    }
    JsonNode config = blob(configDigest);
    List<String> diffIds = new ArrayList<>();
    Map<String, String> labels = new HashMap<>();
    Instant created = null;
    if (config != null) {
      for (JsonNode d : config.path("rootfs").path("diff_ids")) diffIds.add(d.asText());
      config
          .path("config")
          .path("Labels")
          .fields()
          .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      created = createdTime(config.path("created").asText(""));
    }
    return new Resolved(
        configDigest, LayerChain.chainIds(diffIds), size, platforms, blobList, created, labels);
  }

  private static Instant createdTime(String text) {
    try {
      return text.isEmpty() ? null : OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null; // a config without a readable time: docker's prune treats it as the zero time
    }
  }

  /**
   * Reads the blobs not yet known, {@value #READERS} at a time: a first read of a node's store asks
   * for two blobs per image (manifest and config), and one after another they were most of the time
   * {@code kube-rmi rmi} took on containerd. Absent ones stay unknown, as in {@link #blob}.
   */
  private void prefetch(List<String> digests) {
    List<String> missing = digests.stream().distinct().filter(d -> !blobs.containsKey(d)).toList();
    GroupExecutor.readAll(missing, READERS, client::readBlob)
        .forEach((digest, bytes) -> blobs.put(digest, parse(digest, bytes)));
  }

  private static JsonNode parse(String digest, byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new EngineException("blob " + digest + " is not JSON: " + e.getMessage(), e);
    }
  }

  private JsonNode blob(String digest) {
    JsonNode cached = blobs.get(digest);
    if (cached != null) return cached;
    byte[] bytes = client.readBlob(digest);
    if (bytes == null) return null; // absent now; never cached, it may be imported later
    JsonNode doc = parse(digest, bytes);
    blobs.put(digest, doc);
    return doc;
  }
}
