package io.kubermi.agent.engine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.api.reference.DockerReference;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeepNewestTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final ImageStoreModel store = new ImageStoreModel();

  private void image(String id, Integer day, String... refs) {
    Instant created = day == null ? null : T0.plusSeconds(86_400L * day);
    store.addImage(new StoredImage(id, null, List.of(), 1, created, Map.of()));
    for (String r : refs) {
      try {
        store.addReference(DockerReference.parseNormalizedNamed(r), id);
      } catch (Exception e) {
        throw new IllegalArgumentException(r, e);
      }
    }
  }

  @Test
  void keepsTheNewestOfEachRepositoryByCreationTime() {
    for (int i = 1; i <= 10; i++) image("sha256:a" + i, i, "app:build-" + i);
    image("sha256:b1", 1, "other:1");
    image("sha256:b2", 2, "other:2");

    assertThat(KeepNewest.of(store, 3))
        .containsExactlyInAnyOrder(
            "sha256:a10", "sha256:a9", "sha256:a8", "sha256:b1", "sha256:b2");
  }

  @Test
  void everyNameOfAnImageCountsInItsRepositoryTagOrDigest() {
    image("sha256:old", 1, "app:old", "team/app:keep");
    image("sha256:new", 5, "app:new");
    image("sha256:digest-only", 3, "app@sha256:" + "d".repeat(64));

    // app holds old, digest-only and new; team/app holds old alone, so old is kept there
    assertThat(KeepNewest.of(store, 1)).containsExactlyInAnyOrder("sha256:new", "sha256:old");
    assertThat(KeepNewest.of(store, 2))
        .containsExactlyInAnyOrder("sha256:new", "sha256:digest-only", "sha256:old");
  }

  @Test
  void anImageOfUnknownAgeCountsAsNewestAndTiesGoToTheGreaterId() {
    image("sha256:unknown", null, "app:unknown");
    image("sha256:a", 7, "app:a");
    image("sha256:b", 7, "app:b");
    image("sha256:c", 1, "app:c");

    assertThat(KeepNewest.of(store, 1)).containsExactly("sha256:unknown");
    assertThat(KeepNewest.of(store, 2)).containsExactlyInAnyOrder("sha256:unknown", "sha256:b");
  }

  @Test
  void untaggedImagesBelongToNoRepository() {
    image("sha256:dangling", 9);
    image("sha256:tagged", 1, "app:1");

    assertThat(KeepNewest.of(store, 5)).containsExactly("sha256:tagged");
  }
}
