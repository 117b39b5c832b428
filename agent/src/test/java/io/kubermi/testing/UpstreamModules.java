package io.kubermi.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The versions upstream/'s wrapper modules pin, read as upstream/build.sh reads them. */
final class UpstreamModules {
  private UpstreamModules() {}

  /**
   * The version {@code upstream/<wrapper>/go.mod} requires of the module (tests run from a module
   * folder).
   */
  static String pinned(String wrapper, String module) {
    Path goMod = Path.of("..", "upstream", wrapper, "go.mod");
    try {
      for (String line : Files.readAllLines(goMod)) {
        List<String> words = Arrays.asList(line.trim().split("\\s+"));
        int at = words.indexOf(module);
        if (at >= 0 && at + 1 < words.size()) return words.get(at + 1).replace("+incompatible", "");
      }
      throw new IllegalStateException(goMod + " pins no " + module);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
