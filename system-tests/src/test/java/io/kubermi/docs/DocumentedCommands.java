package io.kubermi.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The kubectl and helm command lines the README and docs/ show, in code blocks and inline. */
final class DocumentedCommands {
  private static final Pattern INLINE = Pattern.compile("`((?:kubectl|helm) [^`]+)`");

  private DocumentedCommands() {}

  /** Every documented kubectl or helm command, comments dropped and spaces collapsed. */
  static Set<String> all(Path root) {
    Set<String> commands = new LinkedHashSet<>();
    for (Path doc : docs(root)) {
      boolean inShell = false;
      for (String line : read(doc)) {
        if (line.startsWith("```")) {
          inShell = !inShell && (line.equals("```sh") || line.equals("```bash"));
          continue;
        }
        if (inShell && (line.startsWith("kubectl ") || line.startsWith("helm "))) {
          commands.add(normalize(line));
        } else if (!inShell) {
          Matcher m = INLINE.matcher(line);
          while (m.find()) commands.add(normalize(m.group(1)));
        }
      }
    }
    return commands;
  }

  /**
   * The command lines of the first shell block after the first line that starts with {@code
   * heading} in {@code doc}.
   */
  static List<String> blockAfter(Path doc, String heading) {
    List<String> lines = read(doc);
    int at = 0;
    while (at < lines.size() && !lines.get(at).startsWith(heading)) at++;
    if (at == lines.size())
      throw new AssertionError(doc + " has no line starting \"" + heading + "\"");
    List<String> block = new ArrayList<>();
    int i = at + 1;
    while (!lines.get(i).startsWith("```sh")) i++;
    for (i++; !lines.get(i).startsWith("```"); i++) {
      if (!lines.get(i).isBlank()) block.add(normalize(lines.get(i)));
    }
    return block;
  }

  static String normalize(String command) {
    return command.replaceFirst("\\s+#.*$", "").trim().replaceAll("\\s+", " ");
  }

  private static List<Path> docs(Path root) {
    List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> files = Files.list(root.resolve("docs"))) {
      files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }

  private static List<String> read(Path doc) {
    try {
      return Files.readAllLines(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
