package io.kubermi.agent.lastuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredContainer;
import io.kubermi.agent.engine.store.StoredImage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When an image counts as last used, reading by reading. */
class LastUseRecordTest {
  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant CREATED = Instant.parse("2026-10-01T00:00:00Z");

  private final LastUseRecord record = LastUseRecord.empty();

  private static ImageStoreModel store(StoredContainer... containers) {
    ImageStoreModel store = new ImageStoreModel();
    store.addImage(new StoredImage(A, null, List.of("l1"), 10, CREATED, Map.of()));
    store.addImage(new StoredImage(B, null, List.of("l2"), 20, null, Map.of()));
    for (StoredContainer c : containers) store.addContainer(c);
    return store;
  }

  private static Instant at(long hours) {
    return T0.plus(Duration.ofHours(hours));
  }

  @Test
  void anImageNeverSeenInUseIsUnusedSinceTheLaterOfCreationAndFirstSight() {
    record.observe(store(), at(0));
    record.observe(store(), at(5));
    StoredImage a = store().image(A);
    assertThat(record.unusedSince(a, at(5))).isEqualTo(at(0));
    StoredImage createdLater =
        new StoredImage(A, null, List.of("l1"), 10, at(2), Map.of()); // e.g. a rebuilt image
    assertThat(record.unusedSince(createdLater, at(5))).isEqualTo(at(2));
    assertThat(record.entry(A).lastUsed()).isNull();
  }

  @Test
  void aRunningContainerMakesItsImageUsedAtEachReadingAndUntilTheReadingAfterItStopped() {
    record.observe(store(), at(0));
    record.observe(store(new StoredContainer("c1", A, true)), at(3));
    assertThat(record.unusedSince(store().image(A), at(4))).as("running").isEqualTo(at(4));
    record.observe(store(new StoredContainer("c1", A, true)), at(6));
    assertThat(record.entry(A).lastUsed()).isEqualTo(at(6));
    record.observe(store(), at(9)); // the container went between the readings at 6 and 9
    assertThat(record.entry(A).lastUsed()).isEqualTo(at(9));
    record.observe(store(), at(20));
    assertThat(record.unusedSince(store().image(A), at(30))).isEqualTo(at(9));
    assertThat(record.unusedSince(store().image(B), at(30))).isEqualTo(at(0));
  }

  @Test
  void aStoppedContainerNeverSeenRunningCountsAsUseWhenFirstSeenOnly() {
    record.observe(store(), at(0));
    record.observe(store(new StoredContainer("c1", B, false)), at(2));
    record.observe(store(new StoredContainer("c1", B, false)), at(7));
    assertThat(record.entry(B).lastUsed()).isEqualTo(at(2));
  }

  @Test
  void imagesGoneFromTheStoreAreForgottenAndNewOnesFirstSeenNow() {
    record.observe(store(), at(0));
    ImageStoreModel onlyB = new ImageStoreModel();
    onlyB.addImage(new StoredImage(B, null, List.of("l2"), 20));
    assertThat(record.observe(onlyB, at(1))).isTrue();
    assertThat(record.entries()).containsOnlyKeys(B);
    record.observe(store(), at(2));
    assertThat(record.entry(A).firstSeen()).isEqualTo(at(2));
    assertThat(record.entry(B).firstSeen()).isEqualTo(at(0));
    assertThat(record.observe(store(), at(3))).as("nothing changed").isFalse();
  }

  @Test
  void anImageArrivedSinceTheLastReadingIsUnusedSinceNow() {
    StoredImage unseen = new StoredImage(A, null, List.of("l1"), 10, CREATED, Map.of());
    assertThat(record.unusedSince(unseen, at(8))).isEqualTo(at(8));
  }
}
