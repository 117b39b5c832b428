package io.kubermi.agent.engine.model;

import io.kubermi.api.reference.DockerReference;
import io.kubermi.api.reference.InvalidReferenceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * docker rmi's rules (rmi-semantics.md §1–5) over an {@link ImageStoreModel}: resolves one
 * argument, decides untag versus delete, checks conflicts in docker's order, and changes the model
 * as the daemon would change its store. The containerd engine and every dry run use it; on
 * Docker nodes the differential tests hold it to the daemon's own answers.
 */
public final class RmiPlanner {
  static final int BAD_REQUEST = 400;
  static final int NOT_FOUND = 404;
  static final int CONFLICT = 409;

  private static final Pattern FULL_HEX_ID = Pattern.compile("^[a-f0-9]{64}$");
  private static final Pattern FULL_DIGEST = Pattern.compile("^(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$");

  private final ImageStoreModel store;

  public RmiPlanner(ImageStoreModel store) {
    this.store = store;
  }

  /** One {@code DELETE /images/{input}?force=&noprune=}: the answer, with the store changed accordingly. */
  public RmiResponse remove(String input, boolean force, boolean prune) {
    Resolution r = resolve(input);
    if (r.error != null) {
      return r.error;
    }
    try {
      return RmiResponse.ok(delete(input, r.imageId, force, prune));
    } catch (Conflict c) {
      return RmiResponse.error(CONFLICT, c.getMessage());
    }
  }

  /** Which image an argument names, or docker's error for it (§1). */
  public Resolution resolve(String input) {
    if (input.isBlank()) {
      return Resolution.error(BAD_REQUEST, "image name cannot be blank");
    }
    if (FULL_HEX_ID.matcher(input).matches() || FULL_DIGEST.matcher(input).matches()) {
      String id = input.contains(":") ? input : "sha256:" + input;
      return store.image(id) != null ? Resolution.of(id) : Resolution.error(NOT_FOUND, "No such image: " + id);
    }
    DockerReference named;
    try {
      named = DockerReference.parseNormalizedNamed(input);
    } catch (InvalidReferenceException e) {
      return Resolution.error(BAD_REQUEST, e.getMessage());
    }
    String byReference = store.imageOf(lookupKey(named));
    if (byReference != null && store.image(byReference) != null) {
      return Resolution.of(byReference);
    }
    Optional<String> byId = searchIdPrefix(input);
    return byId.map(Resolution::of)
        .orElseGet(() -> Resolution.error(NOT_FOUND, "No such image: " + named.withDefaultTag().familiarString()));
  }

  /** The key the reference store files a reference under: tag+digest by digest, bare name as :latest. */
  private static DockerReference lookupKey(DockerReference named) {
    return named.hasDigest() ? named.withoutTag() : named.withDefaultTag();
  }

  /** docker's digest-set lookup: a unique ID prefix, optionally led by {@code sha256:}. */
  private Optional<String> searchIdPrefix(String input) {
    String hex;
    int colon = input.indexOf(':');
    if (colon < 0) {
      hex = input;
    } else if (input.startsWith("sha256:") && input.length() > 7 && input.length() != 7 + 64) {
      hex = input.substring(7);
    } else {
      return Optional.empty();
    }
    List<String> matches = store.idsWithPrefix(hex);
    return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
  }

  private List<RmiItem> delete(String input, String imageId, boolean force, boolean prune) {
    List<RmiItem> records = new ArrayList<>();
    List<DockerReference> refs = store.referencesOf(imageId);
    boolean removedRepositoryRef = false;
    if (!isImageIdPrefix(imageId, input)) {
      // Repository path (§2).
      if (!force && isSingleReference(refs)) {
        StoredContainer user = firstContainer(imageId, false);
        if (user != null) {
          throw new Conflict("conflict: unable to remove repository reference \"" + input + "\" (must force) - container "
              + short12(user.id()) + " is using its referenced image " + short12(imageId));
        }
      }
      DockerReference given = parseNamed(input).withDefaultTag();
      store.removeReference(given.hasDigest() ? given.withoutTag() : given);
      records.add(RmiItem.untagged(given.familiarString()));
      refs = store.referencesOf(imageId);
      if (!given.hasDigest()) {
        boolean otherTagOfRepo = refs.stream().anyMatch(r -> !r.hasDigest() && r.name().equals(given.name()));
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
      // ID path with a single reference (§3): check first, then untag everything.
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

  /** §4: conflicts, untag the rest, delete, then prune the parent quietly. */
  private void deleteHelper(String imageId, List<RmiItem> records, boolean force, boolean prune, boolean quiet) {
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
    HARD(false, false), HARD_AND_STOPPED(false, true), ALL(true, true);

    final boolean references;
    final boolean stopped;

    ConflictMask(boolean references, boolean stopped) {
      this.references = references;
      this.stopped = stopped;
    }
  }

  /** §4.1 in docker's order: children, running container, references, stopped container. */
  private Conflict conflict(String imageId, ConflictMask mask) {
    if (!store.childrenOf(imageId).isEmpty()) {
      return new Conflict(imageId, true, false, "image has dependent child images");
    }
    StoredContainer running = firstContainer(imageId, true);
    if (running != null) {
      return new Conflict(imageId, true, true, "image is being used by running container " + short12(running.id()));
    }
    if (mask.references && !store.referencesOf(imageId).isEmpty()) {
      return new Conflict(imageId, false, false, "image is referenced in multiple repositories");
    }
    if (mask.stopped) {
      StoredContainer stopped = store.containers().stream()
          .filter(c -> !c.running() && c.imageId().equals(imageId)).findFirst().orElse(null);
      if (stopped != null) {
        return new Conflict(imageId, false, true, "image is being used by stopped container " + short12(stopped.id()));
      }
    }
    return null;
  }

  private StoredContainer firstContainer(String imageId, boolean runningOnly) {
    return store.containers().stream()
        .filter(c -> c.imageId().equals(imageId) && (!runningOnly || c.running())).findFirst().orElse(null);
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
    java.util.Set<String> repositories = new java.util.HashSet<>();
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
    return imageId.startsWith(input) || imageId.substring(imageId.indexOf(':') + 1).startsWith(input);
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

  /** Which image an argument resolves to, or the error docker answers. */
  public record Resolution(String imageId, RmiResponse error) {
    static Resolution of(String imageId) {
      return new Resolution(imageId, null);
    }

    static Resolution error(int status, String message) {
      return new Resolution(null, RmiResponse.error(status, message));
    }
  }

  /** docker's imageDeleteConflict. */
  private static final class Conflict extends RuntimeException {
    final boolean used;

    Conflict(String message) {
      super(message, null, false, false);
      this.used = false;
    }

    Conflict(String imageId, boolean hard, boolean used, String message) {
      super("conflict: unable to delete " + short12(imageId) + " (" + (hard ? "cannot be forced" : "must be forced")
          + ") - " + message, null, false, false);
      this.used = used;
    }
  }
}
