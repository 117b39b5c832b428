package io.kubermi.agent.lastuse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The last-use record on the node's disk, {@value #NAME} in the node folder: a header, one line per
 * image ({@code <id> <first seen ms> <last used ms or -> <running 0|1>}) and a closing line with
 * the count and a CRC-32 of everything before it. It is written whole to a temporary file, flushed
 * to disk and renamed over the old one, so a process killed while writing leaves the previous
 * record. A file that does not read back exactly (damaged, cut short, edited, too large) is never
 * used in part: {@link #read} says why, and the caller starts again from the engine.
 */
public final class LastUseFile {
  public static final String NAME = "last-use";
  private static final String HEADER = "kube-rmi last-use 1";

  /** More images than any node holds; a longer file is damaged, not read. */
  public static final int MAX_ENTRIES = 200_000;

  private static final long MAX_BYTES = 200L * MAX_ENTRIES;
  private static final Pattern ID = Pattern.compile("[a-z0-9]{1,16}:[a-f0-9]{1,128}");

  /** What reading found: the entries, or why they cannot be used (both null: no file yet). */
  public record Read(Map<String, LastUseRecord.Entry> entries, String damage) {
    public boolean damaged() {
      return damage != null;
    }
  }

  private LastUseFile() {}

  public static Read read(Path file) {
    String text;
    try {
      if (Files.size(file) > MAX_BYTES) {
        return new Read(null, "larger than " + MAX_BYTES + " bytes");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new Read(null, null);
    } catch (IOException e) {
      return new Read(null, "cannot be read: " + e.getMessage());
    }
    int end = text.lastIndexOf("\nend ");
    if (!text.startsWith(HEADER + "\n") || end < 0 || !text.endsWith("\n")) {
      return new Read(null, "not a complete last-use record");
    }
    String body = text.substring(0, end + 1);
    String[] closing = text.substring(end + 1).trim().split(" ");
    if (closing.length != 3 || !closing[2].equals(crc(body))) {
      return new Read(null, "its checksum does not match its content");
    }
    List<String> lines = body.lines().skip(1).toList();
    if (!closing[1].equals(Integer.toString(lines.size())) || lines.size() > MAX_ENTRIES) {
      return new Read(null, "its count does not match its lines");
    }
    Map<String, LastUseRecord.Entry> entries = new HashMap<>();
    for (String line : lines) {
      String[] f = line.split(" ");
      if (f.length != 4 || !ID.matcher(f[0]).matches()) {
        return new Read(null, "a line is not an image's entry");
      }
      try {
        Instant firstSeen = Instant.ofEpochMilli(Long.parseLong(f[1]));
        Instant lastUsed = f[2].equals("-") ? null : Instant.ofEpochMilli(Long.parseLong(f[2]));
        if (!f[3].equals("0") && !f[3].equals("1")) throw new NumberFormatException(f[3]);
        entries.put(f[0], new LastUseRecord.Entry(firstSeen, lastUsed, f[3].equals("1")));
      } catch (NumberFormatException | java.time.DateTimeException e) {
        return new Read(null, "a line is not an image's entry");
      }
    }
    return new Read(entries, null);
  }

  /** Replaces the file with these entries, atomically and durably. */
  public static void write(Path file, Map<String, LastUseRecord.Entry> entries) {
    StringBuilder body = new StringBuilder(HEADER).append('\n');
    new TreeMap<>(entries)
        .forEach(
            (id, e) ->
                body.append(id)
                    .append(' ')
                    .append(e.firstSeen().toEpochMilli())
                    .append(' ')
                    .append(e.lastUsed() == null ? "-" : Long.toString(e.lastUsed().toEpochMilli()))
                    .append(' ')
                    .append(e.running() ? '1' : '0')
                    .append('\n'));
    String text = body + "end " + entries.size() + " " + crc(body.toString()) + "\n";
    Path tmp = file.resolveSibling(NAME + ".tmp");
    try {
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
        dir.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the last-use record " + file, e);
    }
  }

  private static String crc(String text) {
    CRC32 crc = new CRC32();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return Long.toHexString(crc.getValue());
  }
}
