package io.kubermi.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.rules.PruneOp;
import io.kubermi.api.ImageResult;
import io.kubermi.api.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemovalJournalTest {
  static final RunKey RUN = new RunKey("r-n1", "uid-1", 3);
  static final ImageResult REMOVED =
      new ImageResult("a:1", Outcome.Removed, List.of("a:1"), List.of("sha256:aa"), null);
  static final ImageResult MISSING =
      new ImageResult("b:1", Outcome.NotFound, List.of(), List.of(), "No such image: b:1");

  @TempDir Path dir;

  @Test
  void intentsAndAnswersAreThereAfterReopening() {
    try (RemovalJournal j = RemovalJournal.open(dir, "n1")) {
      j.intend(RUN, 0, List.of("a:1", "b:1"), List.of(REMOVED, MISSING));
      j.answer(RUN, 0, List.of("a:1"), List.of(REMOVED));
    }
    try (RemovalJournal j = RemovalJournal.open(dir, "n1")) {
      RunRecord r = j.run(RUN);
      assertThat(j.problems()).isEmpty();
      assertThat(r.answer(0, "a:1")).isEqualTo(REMOVED);
      assertThat(r.answer(1, "b:1")).isNull();
      assertThat(r.intent(1, "b:1")).isEqualTo(MISSING);
      assertThat(r.answer(0, "other:1")).as("an entry for another image is not used").isNull();
      assertThat(j.run(new RunKey("r-n1", "uid-2", 3)).isEmpty()).as("another UID").isTrue();
    }
  }

  @Test
  void aPrunesSelectionIsThereAfterReopeningInOrder() {
    List<PruneOp> ops =
        List.of(
            new PruneOp("docker.io/library/a:1", "sha256:aa"),
            new PruneOp("docker.io/other/a:1", "sha256:aa"),
            new PruneOp("bb".repeat(32), "sha256:" + "bb".repeat(32)));
    try (RemovalJournal j = RemovalJournal.open(dir, "n1")) {
      assertThat(j.run(RUN).plan()).isNull();
      j.plan(RUN, ops);
      j.intend(RUN, 0, List.of("docker.io/library/a:1"), List.of(REMOVED));
    }
    try (RemovalJournal j = RemovalJournal.open(dir, "n1")) {
      assertThat(j.problems()).isEmpty();
      assertThat(j.run(RUN).plan()).isEqualTo(ops);
      assertThat(j.run(RUN).intent(0, "docker.io/library/a:1")).isEqualTo(REMOVED);
    }
  }

  @Test
  void aFinishedRunIsCompactedAway() throws Exception {
    try (RemovalJournal j = RemovalJournal.open(dir, "n1")) {
      j.intend(RUN, 0, List.of("a:1"), List.of(REMOVED));
      j.finished(RUN);
    }
    assertThat(Files.readAllLines(dir.resolve("n1.journal"))).hasSize(1); // the header
    try (RemovalJournal j = RemovalJournal.open(dir, "n1")) {
      assertThat(j.run(RUN).isEmpty()).isTrue();
    }
  }

  @Test
  void retainOnlyDropsRunsWhoseObjectsAreGone() {
    RunKey other = new RunKey("s-n1", "uid-9", 1);
    try (RemovalJournal j = RemovalJournal.open(dir, "n1")) {
      j.intend(RUN, 0, List.of("a:1"), List.of(REMOVED));
      j.intend(other, 0, List.of("a:1"), List.of(REMOVED));
      j.retainOnly(Set.of(other));
    }
    try (RemovalJournal j = RemovalJournal.open(dir, "n1")) {
      assertThat(j.run(RUN).isEmpty()).isTrue();
      assertThat(j.run(other).isEmpty()).isFalse();
    }
  }

  @Test
  void aTornLastWriteAndADamagedLineAreReportedAndSkipped() throws Exception {
    try (RemovalJournal j = RemovalJournal.open(dir, "n1")) {
      j.answer(RUN, 0, List.of("a:1", "b:1"), List.of(REMOVED, MISSING));
    }
    Path file = dir.resolve("n1.journal");
    List<String> lines = Files.readAllLines(file);
    // The answer for b:1 altered on disk (its checksum no longer holds), then half a line.
    String damaged = lines.get(2).replace("NotFound", "Removed");
    Files.write(file, List.of(lines.get(0), lines.get(1), damaged));
    Files.writeString(file, "1234abcd {\"kind\":\"ANS", StandardOpenOption.APPEND);

    try (RemovalJournal j = RemovalJournal.open(dir, "n1")) {
      assertThat(j.run(RUN).answer(0, "a:1")).isEqualTo(REMOVED);
      assertThat(j.run(RUN).answer(1, "b:1")).as("never trusted").isNull();
      assertThat(j.problems()).hasSize(2).allMatch(p -> p.contains("damaged"));
    }
  }

  @Test
  void anotherNodesJournalIsSetAsideAndNotUsed() throws Exception {
    try (RemovalJournal j = RemovalJournal.open(dir, "n2")) {
      j.answer(RUN, 0, List.of("a:1"), List.of(REMOVED));
    }
    Files.move(dir.resolve("n2.journal"), dir.resolve("n1.journal"));
    try (RemovalJournal j = RemovalJournal.open(dir, "n1")) {
      assertThat(j.run(RUN).isEmpty()).isTrue();
      assertThat(j.problems()).singleElement().asString().contains("set aside");
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("n1.journal.rejected-"));
    }
  }

  @Test
  void garbageIsNotAJournal() throws Exception {
    Files.writeString(dir.resolve("n1.journal"), "hello\n", StandardCharsets.UTF_8);
    try (RemovalJournal j = RemovalJournal.open(dir, "n1")) {
      assertThat(j.problems()).singleElement().asString().contains("not a kube-rmi-journal/1");
    }
  }
}
