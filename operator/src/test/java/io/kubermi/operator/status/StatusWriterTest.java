package io.kubermi.operator.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalStatus;
import io.kubermi.api.RemovalPhase;
import io.kubermi.operator.TestRemovals;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Optimistic concurrency and the own-write cache, against an in-memory store that checks
 * resourceVersions as the API server does.
 */
class StatusWriterTest {
  /**
   * Objects by name; every write bumps the resourceVersion; a write at another version is refused.
   */
  static class VersionedStore implements StatusStore {
    final Map<String, ImageRemoval> objects = new HashMap<>();
    final List<String> writesAt = new ArrayList<>();
    int conflicts;

    void put(ImageRemoval r) {
      objects.put(r.getMetadata().getName(), copy(r));
    }

    /** Another writer changes the status: the object moves to the next version. */
    void writtenByOther(String name, ImageRemovalStatus status) {
      ImageRemoval r = copy(objects.get(name));
      r.setStatus(status);
      r.getMetadata()
          .setResourceVersion(
              String.valueOf(Long.parseLong(r.getMetadata().getResourceVersion()) + 1));
      objects.put(name, r);
    }

    @Override
    public ImageRemoval get(String name) {
      return objects.containsKey(name) ? copy(objects.get(name)) : null;
    }

    @Override
    public ImageRemoval writeStatus(
        String name, String resourceVersion, ImageRemovalStatus status) {
      writesAt.add(resourceVersion);
      ImageRemoval current = objects.get(name);
      if (!current.getMetadata().getResourceVersion().equals(resourceVersion)) {
        conflicts++;
        throw new StaleVersion("stale " + resourceVersion, null);
      }
      writtenByOther(name, status);
      return get(name);
    }

    private static ImageRemoval copy(ImageRemoval r) {
      ImageRemoval c = new ImageRemoval();
      c.setMetadata(new ObjectMetaBuilder(r.getMetadata()).build());
      c.setSpec(r.getSpec());
      c.setStatus(r.getStatus());
      return c;
    }
  }

  private static ImageRemovalStatus status(RemovalPhase phase, String startedAt) {
    ImageRemovalStatus s = new ImageRemovalStatus();
    s.setObservedGeneration(1L);
    s.setPhase(phase);
    s.setStartedAt(startedAt);
    return s;
  }

  private static ImageRemoval stored(VersionedStore store, String rv, ImageRemovalStatus status) {
    ImageRemoval r = TestRemovals.removal("r", List.of("a:1"));
    r.getMetadata().setResourceVersion(rv);
    r.setStatus(status);
    store.put(r);
    return store.get("r");
  }

  @Test
  void aWriteThatLostARaceIsRecomputedFromTheNewerObjectAndApplied() {
    VersionedStore store = new VersionedStore();
    ImageRemoval seen = stored(store, "7", status(RemovalPhase.Pending, "2026-12-02T00:00:00Z"));
    // Between our read and our write, another writer recorded that the run started at 00:00:05.
    store.writtenByOther("r", status(RemovalPhase.Running, "2026-12-02T00:00:05Z"));
    List<String> computedFrom = new ArrayList<>();
    // The status is computed from what the object says: keep its startedAt, move it to Succeeded.
    Function<ImageRemoval, ImageRemovalStatus> compute =
        r -> {
          computedFrom.add(r.getMetadata().getResourceVersion());
          return status(RemovalPhase.Succeeded, r.getStatus().getStartedAt());
        };

    StatusWriter.Written w = new StatusWriter(store).write(seen, compute);

    assertThat(store.conflicts)
        .as("the first write carried the stale version and was refused")
        .isEqualTo(1);
    assertThat(computedFrom).containsExactly("7", "8");
    assertThat(store.writesAt).containsExactly("7", "8");
    ImageRemovalStatus now = store.get("r").getStatus();
    assertThat(now.getPhase()).isEqualTo(RemovalPhase.Succeeded);
    assertThat(now.getStartedAt())
        .as("what the other writer recorded is not lost")
        .isEqualTo("2026-12-02T00:00:05Z");
    assertThat(w.previous().getPhase())
        .as("the status actually replaced")
        .isEqualTo(RemovalPhase.Running);
    assertThat(w.changed()).isTrue();
  }

  @Test
  void anUnchangedStatusIsNotWritten() {
    VersionedStore store = new VersionedStore();
    ImageRemovalStatus s = status(RemovalPhase.Running, "2026-12-02T00:00:00Z");
    ImageRemoval seen = stored(store, "3", s);
    StatusWriter.Written w =
        new StatusWriter(store)
            .write(seen, r -> status(RemovalPhase.Running, "2026-12-02T00:00:00Z"));
    assertThat(store.writesAt).isEmpty();
    assertThat(w.changed()).isFalse();
  }

  @Test
  void aLaggingCacheIsReplacedByTheWritersOwnLastWrite() {
    VersionedStore store = new VersionedStore();
    ImageRemoval cached = stored(store, "3", status(RemovalPhase.Pending, "2026-12-02T00:00:00Z"));
    StatusWriter writer = new StatusWriter(store);
    writer.write(cached, r -> status(RemovalPhase.Running, "2026-12-02T00:00:00Z"));

    ImageRemoval newest = writer.newest(cached); // the informer still delivers version 3
    assertThat(newest.getStatus().getPhase()).isEqualTo(RemovalPhase.Running);
    assertThat(newest.getMetadata().getResourceVersion()).isEqualTo("4");
    assertThat(cached.getMetadata().getResourceVersion())
        .as("the cache's object is not changed")
        .isEqualTo("3");

    ImageRemoval caughtUp = store.get("r");
    assertThat(writer.newest(caughtUp)).isSameAs(caughtUp);
  }

  @Test
  void aWriterThatKeepsLosingGivesUpAfterItsAttempts() {
    VersionedStore store =
        new VersionedStore() {
          @Override
          public ImageRemoval writeStatus(
              String name, String resourceVersion, ImageRemovalStatus status) {
            writtenByOther(name, status(RemovalPhase.Running, "x")); // someone always writes first
            return super.writeStatus(name, resourceVersion, status);
          }
        };
    ImageRemoval seen = stored(store, "1", status(RemovalPhase.Pending, "x"));
    assertThatThrownBy(
            () -> new StatusWriter(store).write(seen, r -> status(RemovalPhase.Succeeded, "x")))
        .isInstanceOf(StatusStore.StaleVersion.class);
    assertThat(store.conflicts).isEqualTo(StatusWriter.MAX_ATTEMPTS);
  }
}
