package io.kubermi.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredContainer;
import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.agent.lastuse.LastUseFile;
import io.kubermi.agent.lastuse.LastUseRecord;
import io.kubermi.api.reference.DockerReference;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kube-rmi images: its table and its refusals. */
class ImagesCommandTest {
  private static final String OLD = "sha256:" + "0a".repeat(32);
  private static final String RUNS = "sha256:" + "0b".repeat(32);
  private static final String NEW = "sha256:" + "0c".repeat(32);
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  @TempDir Path folder;

  @Test
  void withLastUsedImagesComeOldestUnusedFirstWithTheAgeUnusedForCompares() throws Exception {
    ImageStoreModel store = new ImageStoreModel();
    store.addImage(new StoredImage(OLD, null, List.of("l1"), 1_500_000, T0, Map.of()));
    store.addImage(new StoredImage(RUNS, null, List.of("l2"), 2_000, T0, Map.of()));
    store.addImage(new StoredImage(NEW, null, List.of("l3"), 3_000, T0, Map.of()));
    store.addReference(DockerReference.parseNormalizedNamed("old:1"), OLD);
    store.addReference(DockerReference.parseNormalizedNamed("web:2"), RUNS);
    store.addContainer(new StoredContainer("c1", RUNS, true));
    LastUseRecord record =
        new LastUseRecord(
            Map.of(
                OLD, new LastUseRecord.Entry(T0, T0.plus(Duration.ofHours(2)), false),
                NEW, new LastUseRecord.Entry(T0.plus(Duration.ofDays(3)), null, false)));
    Instant now = T0.plus(Duration.ofDays(10));
    record.observe(store, now);

    List<String> lines = ImagesCommand.lines(store, record, now);
    assertThat(lines.get(0)).startsWith("IMAGE ID").contains("LAST USED", "UNUSED FOR");
    assertThat(lines.get(1))
        .startsWith("0a0a0a0a0a0a ")
        .contains("1.5MB", "2026-11-01T02:00:00Z", "238h0m", "old:1");
    assertThat(lines.get(2)).startsWith("0c0c0c0c0c0c ").contains("never", "168h0m", "<none>");
    assertThat(lines.get(3)).startsWith("0b0b0b0b0b0b ").contains("running", "0h0m", "web:2");
  }

  @Test
  void lastUsedWithoutARecordSaysWhereItLooked() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        ImagesCommand.run(
            new String[] {
              "--last-used",
              "--node-folder",
              folder.toString(),
              "--containerd-address",
              folder.resolve("none.sock").toString()
            },
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "kube-rmi images: no last-use record at "
                + folder.resolve(LastUseFile.NAME)
                + ": the node's agent keeps it while it runs with a node folder (--node-folder)\n");
    Files.writeString(folder.resolve(LastUseFile.NAME), "kube-rmi last-use 1\nbroken");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> NodeFolder.lastUse(folder)))
        .hasMessageContaining("is damaged (not a complete last-use record)");
    Files.delete(folder.resolve(LastUseFile.NAME));
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> NodeFolder.lastUse(folder)))
        .hasMessageContaining("no last-use record at " + folder.resolve(LastUseFile.NAME));
  }

  @Test
  void theHelpExplainsEveryFlag() {
    assertThat(ImagesCommand.help())
        .startsWith("Usage: kube-rmi images")
        .contains("--last-used", "--node-folder", "--docker-host", "--containerd-address")
        .contains("Exit codes:");
  }
}
