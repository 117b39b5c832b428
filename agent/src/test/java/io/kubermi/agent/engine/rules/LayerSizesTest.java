package io.kubermi.agent.engine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayerSizesTest {
  @Test
  void historyWithOneEntryPerLayerMapsInOrder() {
    assertThat(LayerSizes.fromHistory(List.of("a", "b", "c"), List.of(100L, 0L, 30L)))
        .isEqualTo(Map.of("a", 100L, "b", 0L, "c", 30L));
  }

  @Test
  void historyStepsWithoutLayersAreSkipped() {
    // ENV/CMD steps (size 0) between two layers
    assertThat(LayerSizes.fromHistory(List.of("a", "b"), List.of(100L, 0L, 0L, 30L, 0L)))
        .isEqualTo(Map.of("a", 100L, "b", 30L));
  }

  @Test
  void aLayerTheHistoryCannotSizeCountsNothing() {
    assertThat(LayerSizes.fromHistory(List.of("a", "b", "c"), List.of(100L, 0L, 0L, 30L)))
        .isEqualTo(Map.of("a", 100L, "b", 30L, "c", 0L));
  }

  @Test
  void onlyAHistoryMatchedLayerForLayerIsExact() {
    assertThat(LayerSizes.historyMatchesLayers(List.of("a", "b", "c"), List.of(100L, 0L, 30L)))
        .as("one entry per layer")
        .isTrue();
    assertThat(LayerSizes.historyMatchesLayers(List.of("a", "b"), List.of(100L, 0L, 30L)))
        .as("a step without a layer skipped")
        .isTrue();
    assertThat(LayerSizes.historyMatchesLayers(List.of("a", "b", "c"), List.of(100L, 0L, 0L, 30L)))
        .as("a layer left over, counted 0")
        .isFalse();
  }

  @Test
  void imageSizesGiveEachTopLayerItsShare() {
    ImageStoreModel m =
        new ImageStoreModel()
            .addImage(new StoredImage("sha256:base", null, List.of("l1"), 100))
            .addImage(new StoredImage("sha256:child", "sha256:base", List.of("l1", "l2"), 130))
            .addImage(new StoredImage("sha256:lone", null, List.of("x1", "x2"), 70));
    assertThat(LayerSizes.fromImageSizes(m)).isEqualTo(Map.of("l1", 100L, "l2", 30L, "x2", 70L));
  }

  @Test
  void onlyDeletedLayersOfASuccessfulRemovalCount() {
    RmiResponse r =
        RmiResponse.ok(
            List.of(
                RmiItem.untagged("child:latest"),
                RmiItem.deleted("sha256:child"),
                RmiItem.deleted("l2")));
    assertThat(LayerSizes.freedBy(r, Map.of("l1", 100L, "l2", 30L))).isEqualTo(30L);
  }
}
