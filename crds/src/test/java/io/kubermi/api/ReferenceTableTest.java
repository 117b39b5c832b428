package io.kubermi.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubermi.api.validation.ImageReferenceRule;
import io.kubermi.api.validation.SpecValidator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Java validator and the committed CRD schema agree on every reference of the table. */
class ReferenceTableTest {
  private static final String HEX64 =
      "fd484f19954f4b6c5a2f4ab6c2a5e1d6f0e9b2a1c3d4e5f60718293a4b5c6d7e";
  private static final String HEX128 = HEX64 + HEX64;
  private static OpenApiSchemaChecker schema;

  enum Expect {
    VALID,
    INVALID,
    INVALID_VALIDATOR_ONLY
  }

  @BeforeAll
  static void loadCommittedCrd() throws IOException {
    schema = OpenApiSchemaChecker.fromCrd(Path.of("imageremovals.kube-rmi.io-v1.yml"));
  }

  static Stream<Arguments> table() {
    List<Arguments> rows = new ArrayList<>();
    for (String valid :
        List.of(
            "busybox",
            "busybox:latest",
            "test1:latest",
            "test",
            "test2",
            "localhost:5000/test/busybox",
            "localhost:5000/test/busybox@sha256:" + HEX64,
            "localhost:5000/test/busybox:1.0@sha256:" + HEX64,
            "docker.io/library/busybox:1.36",
            "index.docker.io/library/busybox",
            "registry.example.com/a/b/c:v1.2.3",
            "registry.example.com:443/team/app:2024-01-01",
            "[::1]:5000/app:1",
            "Registry.Example.COM/app:1",
            "fd484f19954f",
            "7843",
            "7",
            "sha256:fd484f19954f",
            "sha256:" + HEX64,
            HEX64,
            "a",
            "a_b",
            "a__b",
            "a-b",
            "a---b",
            "a.b",
            "app:TAG_Upper",
            "app:v1.0-rc.1",
            "app:_hidden",
            "app:" + "t".repeat(128),
            "n".repeat(200),
            "user/app",
            "library/busybox",
            "a/b/c/d/e/f",
            "localhost/app:1",
            "localhost:5000/app",
            "app@sha256:" + HEX64,
            "app@sha512:" + HEX128,
            "127.0.0.1:5000/a:1",
            "ghcr.io/org/app:sha-abc123",
            "registry.k8s.io/pause:3.9",
            "sha256:XYZ",
            "my-registry.local:5000/x_y/z.z:1")) {
      rows.add(Arguments.of(valid, Expect.VALID));
    }
    for (String invalid :
        List.of(
            "",
            " busybox",
            "busybox ",
            "bus box",
            "busybox\t",
            "busybox\n",
            "busybox\u0000",
            "Busybox",
            "library/BusyBox",
            "ABCDEF",
            "busybox?x=1",
            "busybox#frag",
            "busybox%2f",
            "busybox:",
            ":latest",
            "busybox::1",
            "busybox@",
            "busybox@sha256:abc",
            "busybox@sha256:",
            "-busybox",
            "busybox-",
            "busybox.",
            "a..b",
            "a/",
            "/a",
            "a//b",
            "busybox:-tag",
            "busybox:.tag",
            "app:" + "t".repeat(129),
            "busybox:tag:tag",
            "http://registry/app",
            "app@sha256:" + "z".repeat(64),
            "../etc/passwd",
            "app;rm -rf /",
            "app|cat",
            "app$(id)",
            "app`id`",
            "\u00e4mage",
            "app\u202e",
            "x".repeat(600),
            "[::1/app",
            "app@sha256:" + HEX64 + "?x")) {
      rows.add(Arguments.of(invalid, Expect.INVALID));
    }
    // docker limits the normalized name (docker.io/library/...) to 255 characters; a pattern
    // cannot.
    rows.add(Arguments.of("n".repeat(250), Expect.INVALID_VALIDATOR_ONLY));
    rows.add(Arguments.of("example.com/" + "n".repeat(250), Expect.INVALID_VALIDATOR_ONLY));
    // The grammar reads "Foo" as a registry host; Docker 20.10's normalization does not.
    rows.add(Arguments.of("Foo/bar:1", Expect.INVALID_VALIDATOR_ONLY));
    return rows.stream();
  }

  @ParameterizedTest(name = "[{index}] {1}: \"{0}\"")
  @MethodSource("table")
  void validatorAndSchemaAgree(String reference, Expect expect) throws IOException {
    String ruleProblem = ImageReferenceRule.check(reference);
    List<String> schemaErrors = schema.check(manifest(reference));

    if (expect == Expect.VALID) {
      assertThat(ruleProblem).as("validator on \"%s\"", reference).isNull();
      assertThat(schemaErrors).as("schema on \"%s\"", reference).isEmpty();
    } else {
      assertThat(ruleProblem).as("validator must reject \"%s\"", reference).isNotNull();
      if (expect == Expect.INVALID) {
        assertThat(schemaErrors).as("schema must reject \"%s\"", reference).isNotEmpty();
      } else {
        assertThat(schemaErrors)
            .as("schema accepts \"%s\" (checked by the validator only)", reference)
            .isEmpty();
      }
      ImageRemovalSpec spec = new ImageRemovalSpec();
      spec.setImages(List.of("busybox", reference));
      assertThat(SpecValidator.validate(spec))
          .singleElement()
          .asString()
          .startsWith("spec.images[1]: invalid value \"");
    }
  }

  static ObjectNode manifest(String reference) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("apiVersion", KubeRmi.API_VERSION).put("kind", "ImageRemoval");
    root.putObject("metadata").put("name", "t");
    root.putObject("spec").putArray("images").add(reference);
    return root;
  }
}
