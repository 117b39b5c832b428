package io.kubermi.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The committed CRDs (module and chart) must be exactly what the classes generate. */
class CrdDriftTest {
  static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");
  static final Path MODULE = Path.of(".");
  static final Path CHART = Path.of("../helm/kube-rmi/crds");
  private static final String FIX =
      " — regenerate both copies with: mvn -pl crds process-classes -Pupdate-crds";

  @Test
  void committedCrdsEqualGeneratedOnes() throws IOException {
    List<String> generated = yamlNames(GENERATED);
    assertThat(generated)
        .containsExactlyInAnyOrder(
            "imageremovals.kube-rmi.io-v1.yml",
            "imageremovalschedules.kube-rmi.io-v1.yml",
            "nodeimageremovals.kube-rmi.io-v1.yml");
    for (Path committedDir : List.of(MODULE, CHART)) {
      assertThat(yamlNames(committedDir))
          .as("CRD files in " + committedDir + FIX)
          .containsExactlyInAnyOrderElementsOf(generated);
      for (String name : generated) {
        assertThat(Files.readString(committedDir.resolve(name)))
            .as(committedDir.resolve(name) + " differs from the generated CRD" + FIX)
            .isEqualTo(Files.readString(GENERATED.resolve(name)));
      }
    }
  }

  /**
   * kubectl get irm / nirm show the columns in CRD order: what matters first, Age last (see
   * crds/pom.xml).
   */
  @Test
  void printerColumnsEndWithAge() throws IOException {
    assertThat(columns("imageremovals.kube-rmi.io-v1.yml"))
        .containsExactly("Phase", "Nodes", "Conflicts", "Deleted", "Reclaimed", "Age");
    assertThat(columns("nodeimageremovals.kube-rmi.io-v1.yml"))
        .containsExactly("Node", "Engine", "Phase", "Reason", "Age");
    assertThat(columns("imageremovalschedules.kube-rmi.io-v1.yml"))
        .containsExactly("Schedule", "Suspend", "Active", "Last", "Next", "Age");
  }

  private static List<String> columns(String crd) throws IOException {
    String yaml = Files.readString(GENERATED.resolve(crd));
    String block =
        yaml.substring(
            yaml.indexOf("additionalPrinterColumns:"), yaml.indexOf("    name: \"v1alpha1\""));
    return block
        .lines()
        .filter(l -> l.startsWith("      name: "))
        .map(l -> l.replaceAll(".*name: \"(.*)\"", "$1"))
        .toList();
  }

  private static List<String> yamlNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yml") || n.endsWith(".yaml"))
          .sorted()
          .toList();
    }
  }
}
