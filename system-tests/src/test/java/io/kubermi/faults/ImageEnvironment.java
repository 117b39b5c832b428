package io.kubermi.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The C library's settings the process images set ({@code ENV MALLOC_...} in images/Dockerfile),
 * read from that file so a JVM started from a jar on the host allocates native memory as it does in
 * its image. Only these: the image's other variables name paths inside the image.
 */
public final class ImageEnvironment {

  private ImageEnvironment() {}

  public static Map<String, String> malloc() {
    Map<String, String> env = new LinkedHashMap<>();
    Path dockerfile = dockerfile();
    try {
      for (String line : Files.readAllLines(dockerfile)) {
        if (!line.startsWith("ENV MALLOC_")) continue;
        String[] kv = line.substring("ENV ".length()).trim().split("=", 2);
        env.put(kv[0], kv[1]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (env.isEmpty()) throw new IllegalStateException("no ENV MALLOC_ line in " + dockerfile);
    return env;
  }

  /** From the repository's root (benchmark scripts) or a module's folder (Maven's tests). */
  private static Path dockerfile() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("images").resolve("Dockerfile");
      if (Files.isRegularFile(candidate)) return candidate;
    }
    throw new IllegalStateException(
        "images/Dockerfile not found above " + Path.of("").toAbsolutePath());
  }
}
