package io.kubermi.chart;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The chart rendered by the real helm (by default release krmi, namespace kube-rmi) and parsed into
 * typed objects.
 */
public final class RenderedChart {
  public static final Path CHART = Path.of("../helm/kube-rmi");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private RenderedChart() {}

  public static List<HasMetadata> render(Map<String, Object> values) {
    return render("krmi", "kube-rmi", values);
  }

  /** The chart rendered as the release of that name in that namespace. */
  public static List<HasMetadata> render(
      String release, String namespace, Map<String, Object> values) {
    var template = new Helm(CHART).template().withName(release).withNamespace(namespace);
    values.forEach(template::set);
    String out = template.call();
    return Arrays.stream(out.split("(?m)^---\\s*$"))
        .map(String::trim)
        .filter(d -> d.lines().anyMatch(l -> l.startsWith("kind:")))
        .map(d -> (HasMetadata) SERIALIZATION.unmarshal(d))
        .toList();
  }

  public static <T extends HasMetadata> T find(
      List<HasMetadata> objects, Class<T> type, String name) {
    return objects.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(type.getSimpleName() + " " + name + " not rendered"));
  }
}
