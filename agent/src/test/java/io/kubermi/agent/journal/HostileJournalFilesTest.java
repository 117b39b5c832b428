package io.kubermi.agent.journal;

import static io.kubermi.agent.journal.RemovalJournalTest.REMOVED;
import static io.kubermi.agent.journal.RemovalJournalTest.RUN;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the node folder may hold instead of a journal (it is a host path: anyone root on the node
 * can put things there) never makes the agent follow a link, block, or read more than it can hold.
 */
class HostileJournalFilesTest {
  @TempDir Path dir;
  @TempDir Path elsewhere;

  private Path victim() throws Exception {
    Path target = elsewhere.resolve("shadow");
    Files.writeString(target, "root:x:0:0\n", StandardCharsets.UTF_8);
    return target;
  }

  private static void mkfifo(Path path) throws Exception {
    assertThat(new ProcessBuilder("mkfifo", path.toString()).inheritIO().start().waitFor())
        .isZero();
  }

  @Test
  void aJournalThatIsALinkIsSetAsideAndWhatItNamesIsLeftAlone() throws Exception {
    Path target = victim();
    Files.createSymbolicLink(dir.resolve("n1.journal"), target);
    try (RemovalJournal j = RemovalJournal.open(dir, "n1")) {
      assertThat(j.problems()).singleElement().asString().contains("is not a regular file");
      j.answer(RUN, 0, List.of("a:1"), List.of(REMOVED));
    }
    assertThat(Files.readString(target)).isEqualTo("root:x:0:0\n");
    assertThat(Files.isRegularFile(dir.resolve("n1.journal"), LinkOption.NOFOLLOW_LINKS)).isTrue();
  }

  @Test
  @Timeout(10)
  void aJournalThatIsAFifoIsSetAsideWithoutWaitingOnIt() throws Exception {
    mkfifo(dir.resolve("n1.journal"));
    try (RemovalJournal j = RemovalJournal.open(dir, "n1")) {
      assertThat(j.problems()).singleElement().asString().contains("is not a regular file");
      assertThat(j.run(RUN).isEmpty()).isTrue();
    }
  }

  @Test
  void aJournalBiggerThanTheBoundIsSetAsideUnread() throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("n1.journal").toFile(), "rw")) {
      f.setLength(RemovalJournal.MAX_BYTES + 1); // sparse: costs no disk
    }
    try (RemovalJournal j = RemovalJournal.open(dir, "n1")) {
      assertThat(j.problems())
          .singleElement()
          .asString()
          .contains("more than the " + RemovalJournal.MAX_BYTES);
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("n1.journal.rejected-"));
    }
  }

  @Test
  void aLineLongerThanAnyEntryIsDamagedAndTheRestStillRead() throws Exception {
    try (RemovalJournal j = RemovalJournal.open(dir, "n1")) {
      j.answer(RUN, 0, List.of("a:1"), List.of(REMOVED));
    }
    Path file = dir.resolve("n1.journal");
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.add(1, "x".repeat(RemovalJournal.MAX_LINE_CHARS + 10));
    Files.write(file, lines);
    try (RemovalJournal j = RemovalJournal.open(dir, "n1")) {
      assertThat(j.problems()).singleElement().asString().contains("line 2").contains("damaged");
      assertThat(j.run(RUN).answer(0, "a:1")).isEqualTo(REMOVED);
    }
  }

  @Test
  void aLinkAtTheTemporaryNameIsReplacedNotWrittenThrough() throws Exception {
    Path target = victim();
    Files.createSymbolicLink(dir.resolve("n1.journal.tmp"), target);
    try (RemovalJournal j = RemovalJournal.open(dir, "n1")) {
      j.answer(RUN, 0, List.of("a:1"), List.of(REMOVED));
      j.finished(RUN); // compacts through the temporary file
    }
    assertThat(Files.readString(target)).isEqualTo("root:x:0:0\n");
  }

  @Test
  void aLockFileThatIsALinkIsMadeAfreshAndWhatItNamesIsLeftAlone() throws Exception {
    Path target = victim();
    Files.createSymbolicLink(dir.resolve("n1.lock"), target);
    List<String> said = new ArrayList<>();
    try (JournalLock lock = JournalLock.acquire(dir, "n1", said::add)) {
      assertThat(said).singleElement().asString().contains("was not a regular file");
    }
    assertThat(Files.readString(target)).isEqualTo("root:x:0:0\n");
    assertThat(Files.isRegularFile(dir.resolve("n1.lock"), LinkOption.NOFOLLOW_LINKS)).isTrue();
  }

  @Test
  @Timeout(10)
  void aLockFileThatIsAFifoIsMadeAfreshWithoutWaitingOnIt() throws Exception {
    mkfifo(dir.resolve("n1.lock"));
    List<String> said = new ArrayList<>();
    try (JournalLock lock = JournalLock.acquire(dir, "n1", said::add)) {
      assertThat(said).singleElement().asString().contains("was not a regular file");
    }
  }
}
