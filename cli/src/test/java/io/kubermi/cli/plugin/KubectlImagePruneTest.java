package io.kubermi.cli.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.api.PruneSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** kubectl image-prune's own flags, made into the prune of the ImageRemoval it creates. */
class KubectlImagePruneTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private KubectlImagePrune command(String... args) {
    KubectlImagePrune c =
        new KubectlImagePrune(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    new CommandLine(c).parseArgs(args);
    return c;
  }

  @Test
  void keepNewestAndUnusedForReachTheSpec() {
    PruneSpec prune =
        command("-a", "--keep-newest", "3", "--unused-for", "168h", "--exclude", "k8s.io/*")
            .spec()
            .getPrune();
    assertThat(prune.isAll()).isTrue();
    assertThat(prune.getKeepNewest()).isEqualTo(3);
    assertThat(prune.getUnusedFor()).isEqualTo("168h");
    assertThat(prune.getExclude()).containsExactly("k8s.io/*");
  }

  @Test
  void imageBytesThresholdsReachTheSpecAndAreCheckedAsTheApiServerWould() throws Exception {
    PruneSpec prune =
        command("-a", "--image-bytes-high", "20Gi", "--image-bytes-low", "15Gi").spec().getPrune();
    assertThat(prune.getImageBytes().getHigh()).isEqualTo("20Gi");
    assertThat(prune.getImageBytes().getLow()).isEqualTo("15Gi");
    int exit = command("-a", "--image-bytes-high", "20Gi").call();
    assertThat(exit).isEqualTo(PluginCommand.EXIT_USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "kubectl image-prune: spec.prune.imageBytes.low: Required value: a quantity of bytes"
                + " such as 20Gi\n");
  }

  @Test
  void anUnusedForOutOfBoundsIsRefusedBeforeAnythingIsCreated() throws Exception {
    int exit = command("-a", "--unused-for", "7d").call();
    assertThat(exit).isEqualTo(PluginCommand.EXIT_USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "kubectl image-prune: spec.prune.unusedFor: invalid value \"7d\": must be a Go"
                + " duration from 1m to 87600h, e.g. 168h\n");
  }
}
