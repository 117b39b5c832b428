package io.kubermi.faults;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The JVM options the chart gives a process ({@code <module>.javaOptions} in
 * helm/kube-rmi/values.yaml), read from that file so the processes the tests start run as the chart
 * runs them.
 */
final class ChartJavaOptions {
  private ChartJavaOptions() {}

  static List<String> of(String module) {
    Path values = values();
    Map<?, ?> chart;
    try {
      chart = new KubernetesSerialization().unmarshal(Files.readString(values), Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!(chart.get(module) instanceof Map<?, ?> process)
        || !(process.get("javaOptions") instanceof String options)
        || options.isBlank()) {
      throw new IllegalStateException("no " + module + ".javaOptions in " + values);
    }
    return Arrays.asList(options.trim().split("\\s+"));
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
