package io.kubermi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.agent.lastuse.LastUseFile;
import io.kubermi.agent.lastuse.LastUseRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kube-rmi local} with a prune by last use on the simulated node: it selects by the node
 * agent's record in {@code --node-folder}, read only. Every image last used a month ago: {@code
 * unusedFor: 168h} takes what {@code all: true} alone takes; its tagged image used an hour ago:
 * nothing.
 */
@Timeout(60)
class LocalLastUseTest {
  @TempDir Path dir;

  @Test
  void theNodesRecordDecidesWhatAPruneByLastUseSelects() throws Exception {
    Instant monthAgo = Instant.now().minus(Duration.ofDays(30));
    List<String> ids;
    String tagged;
    try (Engine node = DemoCommand.docsNode("a")) {
      ImageStoreModel store = node.listing();
      ids = store.images().stream().map(StoredImage::id).toList();
      tagged =
          ids.stream().filter(id -> !store.referencesOf(id).isEmpty()).findFirst().orElseThrow();
    }
    String all = local("prune: {all: true}");
    assertThat(all).contains("deleted: " + tagged);

    record(ids, monthAgo, null);
    assertThat(local("prune: {all: true, unusedFor: 168h}"))
        .as("every image last used a month ago: what all: true selects")
        .isEqualTo(all);

    record(ids, monthAgo, tagged);
    assertThat(local("prune: {all: true, unusedFor: 168h}"))
        .as("the tagged image used an hour ago: kept, and its parent with it")
        .doesNotContain("untagged:", "deleted:");
  }

  /** Every image first seen and last used a month ago, {@code recent} (if any) an hour ago. */
  private void record(List<String> ids, Instant monthAgo, String recent) {
    Map<String, LastUseRecord.Entry> entries = new HashMap<>();
    for (String id : ids) {
      Instant lastUsed = id.equals(recent) ? Instant.now().minus(Duration.ofHours(1)) : monthAgo;
      entries.put(id, new LastUseRecord.Entry(monthAgo, lastUsed, false));
    }
    LastUseFile.write(dir.resolve(LastUseFile.NAME), entries);
  }

  private String local(String spec) throws Exception {
    Path file = dir.resolve("r.yaml");
    Files.writeString(
        file,
        """
        apiVersion: kube-rmi.io/v1alpha1
        kind: ImageRemoval
        metadata:
          name: p
        spec:
          dryRun: true
          %s
        """
            .formatted(spec));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            new String[] {
              "local", "-f", file.toString(), "--simulated", "--node-folder", dir.toString()
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }
}
