package io.kubermi.agent.lastuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record on disk: read back exactly, or not at all. */
class LastUseFileTest {
  @TempDir Path dir;

  private static Map<String, LastUseRecord.Entry> entries(int n) {
    Map<String, LastUseRecord.Entry> m = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String id = "sha256:" + String.format("%064x", i);
      Instant seen = Instant.ofEpochMilli(1_700_000_000_000L + i);
      m.put(id, new LastUseRecord.Entry(seen, i % 3 == 0 ? null : seen.plusSeconds(i), i % 2 == 0));
    }
    return m;
  }

  private Path file() {
    return dir.resolve(LastUseFile.NAME);
  }

  @Test
  void whatIsWrittenIsReadBackExactly() {
    Map<String, LastUseRecord.Entry> written = entries(500);
    LastUseFile.write(file(), written);
    LastUseFile.Read read = LastUseFile.read(file());
    assertThat(read.damaged()).isFalse();
    assertThat(read.entries()).isEqualTo(written);
    LastUseFile.write(file(), Map.of());
    assertThat(LastUseFile.read(file()).entries()).isEmpty();
  }

  @Test
  void noFileIsNeitherEntriesNorDamage() {
    LastUseFile.Read read = LastUseFile.read(file());
    assertThat(read.entries()).isNull();
    assertThat(read.damaged()).isFalse();
  }

  @Test
  void everyDamageIsFoundAndNothingOfTheFileIsUsed() throws IOException {
    LastUseFile.write(file(), entries(40));
    String good = Files.readString(file());
    int firstEntry = good.indexOf('\n') + 1;
    Map<String, String> damaged = new HashMap<>();
    damaged.put("cut short", good.substring(0, good.length() / 2));
    damaged.put("without its closing line", good.substring(0, good.lastIndexOf("end ")));
    damaged.put(
        "a digit changed",
        good.substring(0, firstEntry + 80)
            + flip(good.charAt(firstEntry + 80))
            + good.substring(firstEntry + 81));
    damaged.put(
        "a line dropped",
        good.substring(0, firstEntry) + good.substring(good.indexOf('\n', firstEntry) + 1));
    damaged.put("another header", good.replaceFirst("last-use 1", "last-use 9"));
    damaged.put("empty", "");
    damaged.put("binary", "\u0000\u0001\u0002");
    for (Map.Entry<String, String> d : damaged.entrySet()) {
      Files.writeString(file(), d.getValue(), StandardCharsets.UTF_8);
      LastUseFile.Read read = LastUseFile.read(file());
      assertThat(read.damaged()).as(d.getKey()).isTrue();
      assertThat(read.entries()).as(d.getKey()).isNull();
    }
  }

  @Test
  void aFileLargerThanAnyRecordIsNotRead() throws IOException {
    Files.write(file(), new byte[(int) (200L * LastUseFile.MAX_ENTRIES) + 1]);
    assertThat(LastUseFile.read(file()).damage()).startsWith("larger than");
  }

  @Test
  void aWriteCutOffBeforeItsRenameLeavesThePreviousRecord() throws IOException {
    Map<String, LastUseRecord.Entry> written = entries(10);
    LastUseFile.write(file(), written);
    // What a process killed while writing leaves: a partial temporary file beside the record.
    Files.writeString(dir.resolve(LastUseFile.NAME + ".tmp"), "kube-rmi last-use 1\nsha256:ab");
    assertThat(LastUseFile.read(file()).entries()).isEqualTo(written);
    LastUseFile.write(file(), entries(3));
    assertThat(LastUseFile.read(file()).entries()).hasSize(3);
  }

  private static char flip(char c) {
    return c == '1' ? '2' : '1';
  }
}
