package io.kubermi.controlplane;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * kube-apiserver's own count of the requests it served ({@code apiserver_request_total} on its
 * {@code /metrics}), read as an administrator: how benchmarks count a run's writes on the real
 * server, which records no request log a test could read.
 */
public final class ApiServerMetrics {
  private static final Pattern REQUESTS =
      Pattern.compile("^apiserver_request_total\\{([^}]*)} ([0-9.e+]+)$", Pattern.MULTILINE);
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "APPLY", "DELETE");

  private ApiServerMetrics() {}

  /** The writes (create, update, patch, apply, delete) the server answered on the resource. */
  public static long writes(ControlPlane controlPlane, String resource) {
    String metrics = controlPlane.admin().raw("/metrics");
    long total = 0;
    Matcher m = REQUESTS.matcher(metrics);
    while (m.find()) {
      String labels = m.group(1);
      if (labels.contains("resource=\"" + resource + "\"")
          && WRITES.contains(label(labels, "verb"))) {
        total += (long) Double.parseDouble(m.group(2));
      }
    }
    return total;
  }

  private static String label(String labels, String name) {
    Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(labels);
    return m.find() ? m.group(1) : "";
  }
}
