package io.kubermi.cli.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.RemovalOptions;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.api.reference.DockerReference;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedEngineTest {
  @Test
  void theSimulatedEngineCountsWhatItDeletes() throws Exception {
    ImageStoreModel m =
        new ImageStoreModel()
            .addImage(
                new StoredImage(
                    "sha256:" + "a".repeat(64), null, List.of("sha256:" + "1".repeat(64)), 1234));
    m.addReference(DockerReference.parseNormalizedNamed("x:1"), "sha256:" + "a".repeat(64));
    m.addReference(DockerReference.parseNormalizedNamed("y:1"), "sha256:" + "a".repeat(64));
    var engine = new SimulatedEngine(m, ProtectedImages.none());
    engine.remove(List.of("x:1"), RemovalOptions.defaults());
    assertThat(engine.reclaimedBytes()).isZero();
    engine.remove(List.of("y:1"), RemovalOptions.defaults());
    assertThat(engine.reclaimedBytes()).isEqualTo(1234);
  }
}
