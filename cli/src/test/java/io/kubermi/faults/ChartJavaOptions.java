package io.kubermi.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM options the chart gives a process ({@code <module>.javaOptions} in
 * helm/kube-rmi/values.yaml), read from that file so the processes the tests start run as the chart
 * runs them.
 */
final class ChartJavaOptions {
  private ChartJavaOptions() {}

  static List<String> of(String module) {
    Path values = values();
    try {
      boolean inModule = false;
      for (String line : Files.readAllLines(values)) {
        if (!line.startsWith(" ") && !line.startsWith("#")) inModule = line.equals(module + ":");
        String trimmed = line.trim();
        if (inModule && line.startsWith("  javaOptions:")) {
          String value = trimmed.substring("javaOptions:".length()).trim().replace("\"", "");
          return Arrays.asList(value.split("\\s+"));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("no " + module + ".javaOptions in " + values);
  }

  /** From a module's folder (Maven's tests) or the repository's root. */
  private static Path values() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("helm").resolve("kube-rmi").resolve("values.yaml");
      if (Files.isRegularFile(candidate)) return candidate;
    }
    throw new IllegalStateException(
        "helm/kube-rmi/values.yaml not found above " + Path.of("").toAbsolutePath());
  }
}
