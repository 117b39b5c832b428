package io.kubermi.agent.engine.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotterLabelsTest {
  private static GcLabels.Blob config(String... snapshotters) {
    Map<String, String> labels = new java.util.HashMap<>();
    labels.put("containerd.io/gc.ref.content.l.0", "sha256:aa");
    for (String s : snapshotters) labels.put(GcLabels.SNAPSHOT_PREFIX + s, "sha256:bb");
    return new GcLabels.Blob(100, labels);
  }

  @Test
  void theSnapshotterMostImagesAreUnpackedIntoWins() {
    assertThat(
            SnapshotterLabels.mostUsed(
                List.of(config("native"), config("native", "overlayfs"), config("native"))))
        .contains("native");
    assertThat(SnapshotterLabels.mostUsed(List.of(config("devmapper")))).contains("devmapper");
  }

  @Test
  void nothingUnpackedNamesNone() {
    assertThat(SnapshotterLabels.mostUsed(List.of(config(), new GcLabels.Blob(5, Map.of()))))
        .isEmpty();
  }

  @Test
  void aTieIsBrokenTheSameWayEveryTime() {
    assertThat(SnapshotterLabels.mostUsed(List.of(config("zfs"), config("overlayfs"))))
        .contains("overlayfs");
  }
}
