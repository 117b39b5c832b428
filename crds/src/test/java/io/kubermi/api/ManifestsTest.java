package io.kubermi.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.kubermi.api.validation.SpecValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example a user may apply is valid; every invalid sample is refused with a message naming
 * field and value.
 */
class ManifestsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static OpenApiSchemaChecker schema;
  private static OpenApiSchemaChecker scheduleSchema;

  @BeforeAll
  static void loadCommittedCrd() throws IOException {
    schema = OpenApiSchemaChecker.fromCrd(Path.of("imageremovals.kube-rmi.io-v1.yml"));
    scheduleSchema =
        OpenApiSchemaChecker.fromCrd(Path.of("imageremovalschedules.kube-rmi.io-v1.yml"));
  }

  static Stream<Path> examples() throws IOException {
    return files(Path.of("../examples"));
  }

  static Stream<Path> invalidSamples() throws IOException {
    return files(Path.of("src/test/resources/invalid"));
  }

  @Test
  void thereAreExamplesAndInvalidSamples() throws IOException {
    assertThat(examples()).hasSizeGreaterThanOrEqualTo(5);
    assertThat(invalidSamples()).hasSizeGreaterThanOrEqualTo(10);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleIsValidForSchemaAndValidator(Path file) throws IOException {
    List<JsonNode> docs = documents(Files.readString(file));
    assertThat(docs).isNotEmpty();
    for (JsonNode doc : docs) {
      assertThat(doc.path("apiVersion").asText()).isEqualTo(KubeRmi.API_VERSION);
      assertThat(doc.path("kind").asText()).isIn("ImageRemoval", "ImageRemovalSchedule");
      ImageRemovalSpec spec;
      if (doc.path("kind").asText().equals("ImageRemovalSchedule")) {
        assertThat(scheduleSchema.check(doc)).as(file + " against the committed CRD").isEmpty();
        spec = YAML.treeToValue(doc, ImageRemovalSchedule.class).getSpec().getTemplate().getSpec();
      } else {
        assertThat(schema.check(doc)).as(file + " against the committed CRD").isEmpty();
        spec = YAML.treeToValue(doc, ImageRemoval.class).getSpec();
      }
      assertThat(SpecValidator.validate(spec)).as(file + " validator").isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSamples")
  void invalidSampleIsRefused(Path file) throws IOException {
    String text = Files.readString(file);
    String expected = headerValue(text, "# expect: ");
    JsonNode doc = documents(text).get(0);
    if (text.contains("# generated: 257 images")) {
      ArrayNode images = ((ObjectNode) doc.get("spec")).putArray("images");
      for (int i = 0; i < 257; i++) images.add("image-" + i);
    }
    ImageRemoval removal = YAML.treeToValue(doc, ImageRemoval.class);
    List<String> problems = SpecValidator.validate(removal.getSpec());
    assertThat(problems)
        .as(file + " validator")
        .anySatisfy(p -> assertThat(p).startsWith(expected));
    if (!text.contains("# schema: accepts")) {
      assertThat(schema.check(doc)).as(file + " against the committed CRD").isNotEmpty();
    }
  }

  private static String headerValue(String text, String prefix) {
    return text.lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .map(l -> l.substring(prefix.length()))
        .orElseThrow(() -> new AssertionError("missing " + prefix));
  }

  static List<JsonNode> documents(String yaml) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
      for (JsonNode n : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (n != null && !n.isNull() && !n.isMissingNode()) docs.add(n);
      }
    }
    return docs;
  }

  private static Stream<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }
}
