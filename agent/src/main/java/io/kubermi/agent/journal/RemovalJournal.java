package io.kubermi.agent.journal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubermi.agent.engine.rules.PruneOp;
import io.kubermi.api.ImageResult;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
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

  /**
   * The largest journal an agent reads, so that it fits in the agent's heap: the journal of an
   * interrupted prune of 5,000 ten-layer images is about 12 MB, and one just under this bound opens
   * in the chart's 48 MiB heap (JournalHeapIT). A bigger one is set aside.
   */
  public static final long MAX_BYTES = 16L * 1024 * 1024;

  /** A line longer than this (no entry is) is damaged, and not held in memory whole. */
  static final int MAX_LINE_CHARS = 1024 * 1024;

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
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    }
    // Only a regular file is read: a symlink could point anywhere on the host, and a FIFO or a
    // device would hold the agent's start for good.
    if (!attributes.isRegularFile()) {
      setAside("not a regular file");
      return;
    }
    if (attributes.size() > MAX_BYTES) {
      setAside(
          attributes.size()
              + " bytes, more than the "
              + MAX_BYTES
              + " an agent reads (it would not fit in the agent's memory)");
      return;
    }
    try (BoundedLines lines =
        new BoundedLines(
            Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS, StandardOpenOption.READ),
            MAX_LINE_CHARS)) {
      String first = lines.next();
      JsonNode header = first == null ? null : parse(first);
      if (header == null
          || !FORMAT.equals(header.path("format").asText())
          || !node.equals(header.path("node").asText())) {
        setAside("not a " + FORMAT + " journal of node " + node);
        return;
      }
      // The text after the last newline is a write that never completed.
      int n = 1;
      for (String line = lines.next(); line != null; line = lines.next()) {
        n++;
        if (line.isEmpty()) continue;
        JsonNode json = line == BoundedLines.TOO_LONG ? null : parse(line);
        JournalEntry e = json == null ? null : entry(json);
        if (e == null) {
          problems.add("line " + n + " of " + file + " is damaged: skipped");
        } else if (e.kind() == JournalEntry.Kind.FINISHED) {
          runs.remove(e.run());
        } else {
          runs.computeIfAbsent(e.run(), k -> new ArrayList<>()).add(e);
        }
      }
    }
  }

  /** Moves the journal (the link itself, not what it names) aside, untrusted, and says why. */
  private void setAside(String why) throws IOException {
    Path aside = file.resolveSibling(file.getFileName() + ".rejected-" + System.nanoTime());
    Files.move(file, aside, LinkOption.NOFOLLOW_LINKS);
    problems.add(file + " is " + why + ": set aside as " + aside + " and not used");
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

  /**
   * Writes header and live entries to a new file, then renames it over the old one. Line by line:
   * the whole text at once would take the agent's heap three times over for a big prune.
   */
  private void rewrite() throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    // Whatever is left at the temporary name (a file of a crash, or a link or FIFO put there) goes,
    // and the new file is made afresh, never opened through a link.
    Files.deleteIfExists(tmp);
    try (FileChannel c =
            FileChannel.open(
                tmp,
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        Writer w =
            new BufferedWriter(
                new OutputStreamWriter(Channels.newOutputStream(c), StandardCharsets.UTF_8),
                64 * 1024)) {
      w.write(line(JSON.createObjectNode().put("format", FORMAT).put("node", node)));
      for (List<JournalEntry> es : runs.values()) {
        for (JournalEntry e : es) w.write(line(JSON.valueToTree(e)));
      }
      w.flush();
      c.force(true);
    }
    if (out != null) out.close();
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      dir.force(true); // the rename itself survives a power cut
    }
    out =
        FileChannel.open(
            file, StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
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
