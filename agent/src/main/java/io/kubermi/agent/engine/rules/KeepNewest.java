package io.kubermi.agent.engine.rules;

import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.api.reference.DockerReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A prune's {@code keepNewest}: in each repository (an image's references, by repository name, tag
 * and digest references alike), the N images created last, which the prune never selects. Every
 * image of the repository counts, in use or not, so the N kept are the N newest builds whatever
 * runs. An image whose creation time the store does not say counts as newer than any other: it
 * cannot be ordered, so it is kept. Ties go to the greater ID, so the choice does not depend on the
 * order the engine lists images in.
 */
public final class KeepNewest {
  private static final Comparator<StoredImage> NEWEST_FIRST =
      Comparator.comparing(
              StoredImage::created, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
          .thenComparing(StoredImage::id)
          .reversed();

  private KeepNewest() {}

  /** The IDs kept: the {@code n} newest of each repository. */
  public static Set<String> of(ImageStoreModel store, int n) {
    Map<String, List<StoredImage>> byRepository = new LinkedHashMap<>();
    for (StoredImage image : store.images()) {
      Set<String> repositories = new HashSet<>();
      for (DockerReference r : store.referencesOf(image.id())) repositories.add(r.name());
      for (String repository : repositories) {
        byRepository.computeIfAbsent(repository, k -> new ArrayList<>()).add(image);
      }
    }
    Set<String> kept = new HashSet<>();
    for (List<StoredImage> images : byRepository.values()) {
      images.stream().sorted(NEWEST_FIRST).limit(n).forEach(i -> kept.add(i.id()));
    }
    return kept;
  }
}
