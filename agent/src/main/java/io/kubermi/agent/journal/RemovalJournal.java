package io.kubermi.agent.journal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubermi.agent.engine.rules.PruneOp;
import io.kubermi.api.ImageResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The node's write-ahead journal of removals: before the agent asks the engine to remove an image
 * it records the intent with the rules' prediction, after the answer the answer, each durably
 * (fsync) before going on. It lives in a file on the node ({@code <dir>/<node>.journal}), so it
 * outlives the agent's pod: a restarted agent takes its results from here instead of asking the
 * engine again about images already gone.
 *
 * <p>Each line is {@code <crc32 hex> <json>}, the first a header naming the format and the node. A
 * line whose checksum or JSON is wrong (a torn last write, a damaged disk) is reported and skipped;
 * a file of another format or node is reported and set aside, never trusted. Finished runs are
 * compacted away. Only one process per node writes: {@link JournalLock}.
 */
public final class RemovalJournal implements AutoCloseable {
  static final String FORMAT = "kube-rmi-journal/1";
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Path file;
  private final String node;
  private final Map<String, List<JournalEntry>> runs = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();
  private FileChannel out;

  private RemovalJournal(Path file, String node) {
    this.file = file;
    this.node = node;
  }

  /** Opens (or creates) the node's journal in {@code dir}, reporting what it could not trust. */
  public static RemovalJournal open(Path dir, String node) {
    RemovalJournal journal = new RemovalJournal(dir.resolve(node + ".journal"), node);
    try {
      Files.createDirectories(dir);
      journal.load();
      journal.rewrite();
    } catch (IOException e) {
      throw new JournalException("cannot open the journal " + journal.file + ": " + e, e);
    }
    return journal;
  }

  /**
   * A journal kept in memory only, for runs with no node folder ({@code local}, {@code demo},
   * tests): it survives an engine restart within the process, not the process.
   */
  public static RemovalJournal inMemory(String node) {
    return new RemovalJournal(null, node);
  }

  /** Lines and files that were reported and not used when the journal was opened. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  public Path file() {
    return file;
  }

  /** What the journal holds of one run (empty when nothing). */
  public synchronized RunRecord run(RunKey key) {
    RunRecord record = new RunRecord();
    runs.getOrDefault(key.id(), List.of()).forEach(record::add);
    return record;
  }

  /** Records, durably, that the arguments from {@code from} are about to be removed. */
  public void intend(RunKey key, int from, List<String> images, List<ImageResult> predicted) {
    append(key, JournalEntry.Kind.INTENT, from, images, predicted);
  }

  /** Records, durably, the engine's answers for the arguments from {@code from}. */
  public void answer(RunKey key, int from, List<String> images, List<ImageResult> answers) {
    append(key, JournalEntry.Kind.ANSWER, from, images, answers);
  }

  /**
   * Records, durably, a prune's selection before any of it is removed. An empty selection records
   * nothing: there is nothing to redo.
   */
  public void plan(RunKey key, List<PruneOp> ops) {
    List<String> arguments = new ArrayList<>();
    List<ImageResult> images = new ArrayList<>();
    for (PruneOp op : ops) {
      arguments.add(op.argument());
      images.add(new ImageResult(op.imageId(), null, List.of(), List.of(), null));
    }
    append(key, JournalEntry.Kind.PLAN, 0, arguments, images);
  }

  /** The run's final status is written: its entries go. */
  public synchronized void finished(RunKey key) {
    if (runs.remove(key.id()) != null) {
      compact();
    }
  }

  /** Forgets every run but these (their objects are finished or gone). */
  public synchronized void retainOnly(Set<RunKey> active) {
    Set<String> keep = new HashSet<>();
    active.forEach(k -> keep.add(k.id()));
    if (runs.keySet().retainAll(keep)) {
      compact();
    }
  }

  private synchronized void append(
      RunKey key, JournalEntry.Kind kind, int from, List<String> images, List<ImageResult> rs) {
    List<JournalEntry> entries = new ArrayList<>();
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < rs.size(); i++) {
      JournalEntry e = new JournalEntry(kind, key.id(), from + i, images.get(i), rs.get(i));
      entries.add(e);
      lines.append(line(JSON.valueToTree(e)));
    }
    try {
      if (out != null) {
        ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) out.write(bytes);
        out.force(false);
      }
    } catch (IOException e) {
      throw new JournalException("cannot write the journal " + file + ": " + e, e);
    }
    runs.computeIfAbsent(key.id(), k -> new ArrayList<>()).addAll(entries);
  }

  private void load() throws IOException {
    if (!Files.exists(file)) return;
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, StandardCharsets.UTF_8);
    String[] lines = text.split("\n", -1);
    JsonNode header = lines.length == 0 ? null : parse(lines[0]);
    if (header == null
        || !FORMAT.equals(header.path("format").asText())
        || !node.equals(header.path("node").asText())) {
      Path aside = file.resolveSibling(file.getFileName() + ".rejected-" + System.nanoTime());
      Files.move(file, aside);
      problems.add(
          "not a "
              + FORMAT
              + " journal of node "
              + node
              + ": set aside as "
              + aside
              + " and not used");
      return;
    }
    // The text after the last newline is a write that never completed.
    for (int n = 1; n < lines.length; n++) {
      if (lines[n].isEmpty()) continue;
      JsonNode json = parse(lines[n]);
      JournalEntry e = json == null ? null : entry(json);
      if (e == null) {
        problems.add("line " + (n + 1) + " of " + file + " is damaged: skipped");
      } else if (e.kind() == JournalEntry.Kind.FINISHED) {
        runs.remove(e.run());
      } else {
        runs.computeIfAbsent(e.run(), k -> new ArrayList<>()).add(e);
      }
    }
  }

  private static JournalEntry entry(JsonNode json) {
    try {
      JournalEntry e = JSON.treeToValue(json, JournalEntry.class);
      return e.kind() == null || e.run() == null || e.image() == null || e.result() == null
          ? null
          : e;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  /** The JSON of a line whose checksum holds, else null. */
  private static JsonNode parse(String line) {
    int space = line.indexOf(' ');
    if (space < 1) return null;
    String json = line.substring(space + 1);
    if (!line.substring(0, space).equals(crc(json))) return null;
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      return null;
    }
  }

  private static String line(JsonNode json) {
    String text = json.toString();
    return crc(text) + " " + text + "\n";
  }

  private static String crc(String text) {
    CRC32 crc = new CRC32();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return Long.toHexString(crc.getValue());
  }

  private void compact() {
    if (file == null) return;
    try {
      rewrite();
    } catch (IOException e) {
      throw new JournalException("cannot compact the journal " + file + ": " + e, e);
    }
  }

  /** Writes header and live entries to a new file, then renames it over the old one. */
  private void rewrite() throws IOException {
    StringBuilder text =
        new StringBuilder(line(JSON.createObjectNode().put("format", FORMAT).put("node", node)));
    runs.values().forEach(es -> es.forEach(e -> text.append(line(JSON.valueToTree(e)))));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel c =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) c.write(bytes);
      c.force(true);
    }
    if (out != null) out.close();
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      dir.force(true); // the rename itself survives a power cut
    }
    out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  @Override
  public synchronized void close() {
    try {
      if (out != null) out.close();
    } catch (IOException ignored) {
      // nothing more to write
    }
  }
}
