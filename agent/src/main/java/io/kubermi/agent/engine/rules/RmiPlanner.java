package io.kubermi.agent.engine.rules;

import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredContainer;
import io.kubermi.api.reference.DockerReference;
import io.kubermi.api.reference.InvalidReferenceException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * docker rmi's rules (docs/semantics.md §1–5) over an {@link ImageStoreModel}: resolves one
 * argument, decides untag versus delete, checks conflicts in docker's order, and changes the model
 * as the daemon would change its store. The containerd engine and every dry run use it; on Docker
 * nodes the differential tests hold it to the daemon's own answers.
 */
public final class RmiPlanner {
  static final int BAD_REQUEST = 400;
  static final int NOT_FOUND = 404;
  static final int CONFLICT = 409;

  private final ImageStoreModel store;

  public RmiPlanner(ImageStoreModel store) {
    this.store = store;
  }

  /**
   * One {@code DELETE /images/{input}?force=&noprune=}: the answer, with the store changed
   * accordingly.
   */
  public RmiResponse remove(String input, boolean force, boolean prune) {
    Resolution r = resolve(input);
    if (r.error() != null) {
      return r.error();
    }
    try {
      return RmiResponse.ok(delete(input, r.imageId(), force, prune));
    } catch (Conflict c) {
      return RmiResponse.error(CONFLICT, c.getMessage());
    }
  }

  /** Which image an argument names, or docker's error for it (docs/semantics.md §1). */
  public Resolution resolve(String input) {
    return new ReferenceResolver(store).resolve(input);
  }

  private List<RmiItem> delete(String input, String imageId, boolean force, boolean prune) {
    List<RmiItem> records = new ArrayList<>();
    List<DockerReference> refs = store.referencesOf(imageId);
    boolean removedRepositoryRef = false;
    if (!isImageIdPrefix(imageId, input)) {
      // Repository path (docs/semantics.md §2).
      if (!force && isSingleReference(refs)) {
        StoredContainer user = firstContainer(imageId, false);
        if (user != null) {
          throw new Conflict(
              "conflict: unable to remove repository reference \""
                  + input
                  + "\" (must force) - container "
                  + short12(user.id())
                  + " is using its referenced image "
                  + short12(imageId));
        }
      }
      DockerReference given = parseNamed(input).withDefaultTag();
      store.removeReference(given.hasDigest() ? given.withoutTag() : given);
      records.add(RmiItem.untagged(given.familiarString()));
      refs = store.referencesOf(imageId);
      if (!given.hasDigest()) {
        boolean otherTagOfRepo =
            refs.stream().anyMatch(r -> !r.hasDigest() && r.name().equals(given.name()));
        if (!otherTagOfRepo) {
          List<DockerReference> remaining = new ArrayList<>();
          for (DockerReference r : refs) {
            if (r.hasDigest() && r.name().equals(given.name())) {
              store.removeReference(r);
              records.add(RmiItem.untagged(r.familiarString()));
            } else {
              remaining.add(r);
            }
          }
          refs = remaining;
        }
      }
      if (!refs.isEmpty()) {
        return records;
      }
      removedRepositoryRef = true;
    } else if (isSingleReference(refs)) {
      // ID path with a single reference (docs/semantics.md §3): check first, then untag everything.
      ConflictMask mask = force ? ConflictMask.HARD : ConflictMask.HARD_AND_STOPPED;
      Conflict c = conflict(imageId, mask);
      if (c != null) {
        throw c;
      }
      for (DockerReference r : refs) {
        store.removeReference(r);
        records.add(RmiItem.untagged(r.familiarString()));
      }
    }
    deleteHelper(imageId, records, force, prune, removedRepositoryRef);
    return records;
  }

  /** docs/semantics.md §4: conflicts, untag the rest, delete, then prune the parent quietly. */
  private void deleteHelper(
      String imageId, List<RmiItem> records, boolean force, boolean prune, boolean quiet) {
    Conflict c = conflict(imageId, force ? ConflictMask.HARD : ConflictMask.ALL);
    if (c != null) {
      if (quiet && (!isDangling(imageId) || c.used)) {
        return;
      }
      throw c;
    }
    String parent = store.image(imageId).parentId();
    for (DockerReference r : store.referencesOf(imageId)) {
      store.removeReference(r);
      records.add(RmiItem.untagged(r.familiarString()));
    }
    records.add(RmiItem.deleted(imageId));
    for (String layer : store.deleteImage(imageId)) {
      records.add(RmiItem.deleted(layer));
    }
    if (prune && parent != null && store.image(parent) != null) {
      deleteHelper(parent, records, false, true, true);
    }
  }

  private enum ConflictMask {
    HARD(false, false),
    HARD_AND_STOPPED(false, true),
    ALL(true, true);

    final boolean references;
    final boolean stopped;

    ConflictMask(boolean references, boolean stopped) {
      this.references = references;
      this.stopped = stopped;
    }
  }

  /**
   * docs/semantics.md §4 step 1, in docker's order: children, running container, references,
   * stopped container.
   */
  private Conflict conflict(String imageId, ConflictMask mask) {
    if (!store.childrenOf(imageId).isEmpty()) {
      return new Conflict(imageId, true, false, "image has dependent child images");
    }
    StoredContainer running = firstContainer(imageId, true);
    if (running != null) {
      return new Conflict(
          imageId, true, true, "image is being used by running container " + short12(running.id()));
    }
    if (mask.references && !store.referencesOf(imageId).isEmpty()) {
      return new Conflict(imageId, false, false, "image is referenced in multiple repositories");
    }
    if (mask.stopped) {
      StoredContainer stopped =
          store.containers().stream()
              .filter(c -> !c.running() && c.imageId().equals(imageId))
              .findFirst()
              .orElse(null);
      if (stopped != null) {
        return new Conflict(
            imageId,
            false,
            true,
            "image is being used by stopped container " + short12(stopped.id()));
      }
    }
    return null;
  }

  private StoredContainer firstContainer(String imageId, boolean runningOnly) {
    return store.containers().stream()
        .filter(c -> c.imageId().equals(imageId) && (!runningOnly || c.running()))
        .findFirst()
        .orElse(null);
  }

  private boolean isDangling(String imageId) {
    return store.referencesOf(imageId).isEmpty() && store.childrenOf(imageId).isEmpty();
  }

  /** One reference, or all in one repository with at most one tag. */
  static boolean isSingleReference(List<DockerReference> refs) {
    if (refs.size() <= 1) {
      return refs.size() == 1;
    }
    DockerReference tagged = null;
    Set<String> repositories = new HashSet<>();
    for (DockerReference r : refs) {
      if (r.hasDigest()) {
        repositories.add(r.name());
      } else if (tagged == null) {
        repositories.add(r.name());
        tagged = r;
      } else {
        return false;
      }
    }
    DockerReference single = tagged != null ? tagged : refs.get(0);
    return repositories.size() == 1 && repositories.contains(single.name());
  }

  static boolean isImageIdPrefix(String imageId, String input) {
    return imageId.startsWith(input)
        || imageId.substring(imageId.indexOf(':') + 1).startsWith(input);
  }

  private static DockerReference parseNamed(String input) {
    try {
      return DockerReference.parseNormalizedNamed(input);
    } catch (InvalidReferenceException e) {
      throw new IllegalStateException("resolved references parse", e);
    }
  }

  public static String short12(String id) {
    String hex = id.substring(id.indexOf(':') + 1);
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }

  /** docker's imageDeleteConflict. */
  private static final class Conflict extends RuntimeException {
    final boolean used;

    Conflict(String message) {
      super(message, null, false, false);
      this.used = false;
    }

    Conflict(String imageId, boolean hard, boolean used, String message) {
      super(
          "conflict: unable to delete "
              + short12(imageId)
              + " ("
              + (hard ? "cannot be forced" : "must be forced")
              + ") - "
              + message,
          null,
          false,
          false);
      this.used = used;
    }
  }
}
