package io.kubermi.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.rules.PruneOp;
import io.kubermi.api.ImageResult;
import io.kubermi.api.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal of an interrupted prune of ten-layer images just under the size an agent reads (6,900
 * images; 5,000 make about 12 MB), opened by a JVM with the agent's heap and stack options from the
 * chart: it loads, because the journal is read as a stream and written back line by line (read and
 * written whole, it ran that heap out of memory).
 */
class JournalHeapIT {
  static final int IMAGES = 6900;

  @TempDir Path dir;

  @Test
  void aPruneJournalJustUnderTheBoundOpensWithinTheAgentsHeap() throws Exception {
    RunKey run = new RunKey("prune-n1", "uid-1", 1);
    List<PruneOp> ops = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    List<ImageResult> removed = new ArrayList<>();
    for (int i = 0; i < IMAGES; i++) {
      String id = "sha256:" + String.format("%064x", i + 1);
      List<String> deleted = new ArrayList<>(List.of(id));
      for (int l = 0; l < 10; l++)
        deleted.add("sha256:" + String.format("%064x", 100_000 + i * 10L + l));
      ids.add(id);
      ops.add(new PruneOp(id, id));
      removed.add(new ImageResult(id, Outcome.Removed, List.of(), deleted, null));
    }
    try (RemovalJournal j = RemovalJournal.open(dir, "n1")) {
      j.plan(run, ops);
      j.intend(run, 0, ids, removed);
      j.answer(run, 0, ids.subList(0, IMAGES - 1), removed.subList(0, IMAGES - 1));
    }
    long bytes = Files.size(dir.resolve("n1.journal"));
    assertThat(bytes).isBetween(RemovalJournal.MAX_BYTES - 1024 * 1024, RemovalJournal.MAX_BYTES);

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-XX:+UseSerialGC",
                "-Xmx48m",
                "-Xss256k",
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                System.getProperty("java.class.path"),
                JournalOpener.class.getName(),
                dir.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("answers=" + (IMAGES - 1) + " problems=0");
  }

  /** Opens the node's journal and says what it holds of the run. */
  public static final class JournalOpener {
    public static void main(String[] args) {
      try (RemovalJournal j = RemovalJournal.open(Path.of(args[0]), "n1")) {
        RunRecord r = j.run(new RunKey("prune-n1", "uid-1", 1));
        int answers = 0;
        for (int i = 0; i < IMAGES; i++) {
          if (r.answer(i, "sha256:" + String.format("%064x", i + 1)) != null) answers++;
        }
        System.out.println("answers=" + answers + " problems=" + j.problems().size());
      }
    }
  }
}
