package io.kubermi.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.rules.PruneOp;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.agent.lastuse.LastUseRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which of a prune's removals a threshold run makes, and in which order. */
class ImageBytesTargetTest {
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);
  private static final String C = "sha256:" + "c".repeat(64);

  @Test
  void asFewImagesAsFreeTheBytesNeededOrAllWhenAllFreeLess() {
    List<Long> bytes = List.of(100L, 50L, 200L);
    assertThat(ImageBytesTarget.imagesNeeded(bytes, 0)).isZero();
    assertThat(ImageBytesTarget.imagesNeeded(bytes, 1)).isEqualTo(1);
    assertThat(ImageBytesTarget.imagesNeeded(bytes, 100)).isEqualTo(1);
    assertThat(ImageBytesTarget.imagesNeeded(bytes, 101)).isEqualTo(2);
    assertThat(ImageBytesTarget.imagesNeeded(bytes, 150)).isEqualTo(2);
    assertThat(ImageBytesTarget.imagesNeeded(bytes, 151)).isEqualTo(3);
    assertThat(ImageBytesTarget.imagesNeeded(bytes, 10_000)).isEqualTo(3);
  }

  @Test
  void imagesComeOldestUnusedFirstEachWithItsRemovalsInOrder() {
    ImageStoreModel store = new ImageStoreModel();
    for (String id : List.of(A, B, C)) {
      store.addImage(new StoredImage(id, null, List.of(id), 1, T0, Map.of()));
    }
    LastUseRecord record =
        new LastUseRecord(
            Map.of(
                A, new LastUseRecord.Entry(T0, T0.plus(Duration.ofDays(3)), false),
                B, new LastUseRecord.Entry(T0, T0.plus(Duration.ofDays(1)), false),
                C, new LastUseRecord.Entry(T0, null, false)));
    List<PruneOp> ops =
        List.of(
            new PruneOp("a:1", A),
            new PruneOp("a:2", A),
            new PruneOp("b:1", B),
            new PruneOp("c:1", C));
    assertThat(ImageBytesTarget.oldestUnusedFirst(ops, store, record, T0.plus(Duration.ofDays(9))))
        .containsExactly(
            List.of(new PruneOp("c:1", C)),
            List.of(new PruneOp("b:1", B)),
            List.of(new PruneOp("a:1", A), new PruneOp("a:2", A)));
  }
}
