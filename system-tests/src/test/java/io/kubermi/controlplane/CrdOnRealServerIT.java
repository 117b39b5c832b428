package io.kubermi.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubermi.api.ImageRemoval;
import io.kubermi.testing.Sh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed CRDs as a real API server applies them: the schema and the CEL rule refuse what
 * they can say is wrong, with the documented message; the examples are accepted by the real
 * kubectl; the printer columns and the explanations are what kubectl shows.
 */
class CrdOnRealServerIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static ControlPlane controlPlane;
  private static Path kubeconfig;

  @BeforeAll
  static void start() throws IOException {
    controlPlane = ControlPlane.shared();
    kubeconfig = controlPlane.kubeconfig("crd-admin", controlPlane.adminToken());
  }

  @AfterAll
  static void wipe() {
    controlPlane.wipeTestObjects();
  }

  static Stream<Path> invalidSamples() throws IOException {
    try (Stream<Path> s = Files.list(ROOT.resolve("crds/src/test/resources/invalid"))) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @Test
  void theCelRuleRefusesBothImagesAndPruneWithTheDocumentedMessage() throws IOException {
    String documented =
        "The ImageRemoval \"bad-both\" is invalid: spec: Invalid value: exactly one of spec.images"
            + " and spec.prune must be set";
    assertThat(Files.readString(ROOT.resolve("docs/api.md"))).contains(documented);
    Sh.Result applied =
        kubectlResult("apply", "-f", sample("both-images-and-prune.yaml").toString());
    assertThat(applied.exit()).isOne();
    assertThat(applied.err()).contains(documented);
    assertThat(controlPlane.admin().resources(ImageRemoval.class).withName("bad-both").get())
        .isNull();
  }

  /**
   * Each invalid sample is refused by the server unless it says the schema accepts it (then only
   * the operator's validator can refuse it, and the server stores it).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSamples")
  void theServerRefusesWhatTheSchemaCanSay(Path file) throws IOException {
    String text = Files.readString(file);
    if (text.contains("# generated: 257 images")) text = withImages(text, 257);
    String yaml = text;
    KubernetesClientException refused =
        catchThrowableOfType(KubernetesClientException.class, () -> create(yaml));
    if (text.contains("# schema: accepts")) {
      assertThat(refused).as(file + " is stored by the server").isNull();
    } else {
      assertThat(refused).as(file + " is refused by the server").isNotNull();
      assertThat(refused.getCode()).as(refused.getMessage()).isEqualTo(422);
      assertThat(refused.getMessage()).contains("spec.");
    }
  }

  /** A six-field cron expression (seconds first, as some crons take) never reaches the operator. */
  @Test
  void theServerRefusesAScheduleThatIsNotFiveFields() {
    String yaml =
        """
        apiVersion: kube-rmi.io/v1alpha1
        kind: ImageRemovalSchedule
        metadata:
          name: six-fields
        spec:
          schedule: "0 3 * * * *"
          template:
            spec:
              prune: {}
        """;
    KubernetesClientException refused =
        catchThrowableOfType(KubernetesClientException.class, () -> create(yaml));
    assertThat(refused).isNotNull();
    assertThat(refused.getCode()).isEqualTo(422);
    assertThat(refused.getMessage()).contains("spec.schedule");
    assertThatCode(
            () -> create(yaml.replace("0 3 * * * *", "@daily").replace("six-fields", "nickname")))
        .doesNotThrowAnyException();
  }

  @Test
  void everyExampleIsAcceptedByKubectlApplyAndShownWithItsColumns() {
    String applied = kubectl("apply", "-f", ROOT.resolve("examples").toString());
    assertThat(applied.lines())
        .hasSizeGreaterThanOrEqualTo(10)
        .allMatch(
            l -> l.endsWith(" created") || l.endsWith(" unchanged"),
            "every example accepted (two files hold the same first removal)");

    List<String> removals = kubectl("get", "irm").lines().toList();
    assertThat(removals.get(0).split("\\s+"))
        .containsExactly("NAME", "PHASE", "NODES", "CONFLICTS", "DELETED", "RECLAIMED", "AGE");
    List<String> schedules = kubectl("get", "irms").lines().toList();
    assertThat(schedules.get(0).split("\\s+"))
        .containsExactly("NAME", "SCHEDULE", "SUSPEND", "ACTIVE", "LAST", "NEXT", "AGE");
    assertThat(schedules).anySatisfy(r -> assertThat(r).contains("0 3 * * *"));
    assertThat(kubectl("get", "nirm")).isEmpty();

    assertThat(kubectl("explain", "imageremoval.spec.images"))
        .contains("FIELD: images <[]string>", "docker rmi");
    assertThat(kubectl("explain", "imageremovalschedule.spec.schedule"))
        .contains("FIELD: schedule <string>", "Cron schedule, 5 fields");
  }

  private static void create(String yaml) {
    GenericKubernetesResource object =
        controlPlane
            .admin()
            .getKubernetesSerialization()
            .unmarshal(yaml, GenericKubernetesResource.class);
    controlPlane.admin().resource(object).create();
  }

  private static Path sample(String name) {
    return ROOT.resolve("crds/src/test/resources/invalid").resolve(name);
  }

  private static String withImages(String text, int count) {
    StringBuilder images = new StringBuilder("images: [");
    for (int i = 0; i < count; i++) images.append(i == 0 ? "" : ", ").append("image-").append(i);
    return text.replaceFirst("images: \\[[^\\]]*\\]", images + "]");
  }

  private static String kubectl(String... args) {
    Sh.Result r = kubectlResult(args);
    assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.err()).isZero();
    return r.out().trim();
  }

  private static Sh.Result kubectlResult(String... args) {
    List<String> command =
        Stream.concat(Stream.of(UpstreamBinaries.program("kubectl").toString()), Stream.of(args))
            .toList();
    return Sh.run(
        command, Map.of("KUBECONFIG", kubeconfig.toString()), null, Duration.ofMinutes(1));
  }
}
