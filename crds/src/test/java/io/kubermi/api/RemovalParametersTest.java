package io.kubermi.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the operator copies from an ImageRemoval into each node's NodeImageRemoval. */
class RemovalParametersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyPruneFieldIsCopiedToTheNodesSpec() {
    PruneSpec prune = new PruneSpec();
    prune.setAll(true);
    prune.setUntil("240h");
    prune.setLabels(List.of("team=a"));
    prune.setLabelsNot(List.of("keep"));
    prune.setExclude(List.of("registry.k8s.io/*"));
    prune.setKeepNewest(3);
    prune.setUnusedFor("168h");
    ImageBytesThreshold threshold = new ImageBytesThreshold();
    threshold.setHigh("20Gi");
    threshold.setLow("15Gi");
    prune.setImageBytes(threshold);
    ObjectNode written = JSON.valueToTree(prune);
    assertThat(written.size())
        .as("every field of PruneSpec is set above, so a new one cannot be forgotten here")
        .isEqualTo(PruneSpec.class.getDeclaredFields().length);

    ImageRemovalSpec source = new ImageRemovalSpec();
    source.setPrune(prune);
    NodeImageRemovalSpec copy = new NodeImageRemovalSpec();
    copy.copyParametersFrom(source);

    assertThat((Object) JSON.valueToTree(copy.getPrune())).isEqualTo(written);
    assertThat(copy.getPrune()).isNotSameAs(prune);
    assertThat(copy.getPrune().getImageBytes()).isNotSameAs(threshold);
  }
}
