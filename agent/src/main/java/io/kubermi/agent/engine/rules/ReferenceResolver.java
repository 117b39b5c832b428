package io.kubermi.agent.engine.rules;

import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.api.reference.DockerReference;
import io.kubermi.api.reference.InvalidReferenceException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which image a docker rmi argument names (docs/semantics.md §1): a full ID or digest, a tag or
 * digest reference, then a unique ID prefix; or docker's error for it.
 */
final class ReferenceResolver {
  private static final Pattern FULL_HEX_ID = Pattern.compile("^[a-f0-9]{64}$");
  private static final Pattern FULL_DIGEST =
      Pattern.compile("^(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$");

  private final ImageStoreModel store;

  ReferenceResolver(ImageStoreModel store) {
    this.store = store;
  }

  /** Which image an argument names, or docker's error for it. */
  Resolution resolve(String input) {
    if (input.isBlank()) {
      return Resolution.error(RmiPlanner.BAD_REQUEST, "image name cannot be blank");
    }
    if (FULL_HEX_ID.matcher(input).matches() || FULL_DIGEST.matcher(input).matches()) {
      String id = input.contains(":") ? input : "sha256:" + input;
      return store.image(id) != null
          ? Resolution.of(id)
          : Resolution.error(RmiPlanner.NOT_FOUND, "No such image: " + id);
    }
    DockerReference named;
    try {
      named = DockerReference.parseNormalizedNamed(input);
    } catch (InvalidReferenceException e) {
      return Resolution.error(RmiPlanner.BAD_REQUEST, e.getMessage());
    }
    String byReference = store.imageOf(lookupKey(named));
    if (byReference != null && store.image(byReference) != null) {
      return Resolution.of(byReference);
    }
    Optional<String> byId = searchIdPrefix(input);
    return byId.map(Resolution::of)
        .orElseGet(
            () ->
                Resolution.error(
                    RmiPlanner.NOT_FOUND,
                    "No such image: " + named.withDefaultTag().familiarString()));
  }

  /**
   * The key the reference store files a reference under: tag+digest by digest, bare name as
   * :latest.
   */
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
}
