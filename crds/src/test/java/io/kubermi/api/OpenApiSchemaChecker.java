package io.kubermi.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks an object against a committed CRD's openAPIV3Schema the way the API server does for the
 * keywords our CRDs use. A keyword it does not know fails loudly, so a schema change cannot make
 * this checker silently lenient.
 */
final class OpenApiSchemaChecker {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> KNOWN =
      Set.of(
          "type",
          "properties",
          "required",
          "items",
          "pattern",
          "minLength",
          "maxLength",
          "minItems",
          "maxItems",
          "minimum",
          "maximum",
          "enum",
          "default",
          "description",
          "additionalProperties",
          "x-kubernetes-preserve-unknown-fields",
          "nullable",
          "x-kubernetes-int-or-string",
          "anyOf",
          "format",
          "x-kubernetes-validations");

  /**
   * The CEL rules our CRDs carry, each with its meaning in Java. A rule not listed here fails
   * loudly: a new rule needs its meaning written here before examples are checked against it.
   */
  private static final Map<String, java.util.function.Predicate<JsonNode>> CEL_RULES =
      Map.of(
          KubeRmi.ONE_OF_IMAGES_PRUNE_RULE,
          v -> v.has("images") != v.has("prune"),
          KubeRmi.SELECTOR_SIZE_RULE,
          v -> v.path("matchLabels").size() <= 64 && v.path("matchExpressions").size() <= 64);

  private final JsonNode schema;

  private OpenApiSchemaChecker(JsonNode schema) {
    this.schema = schema;
  }

  static OpenApiSchemaChecker fromCrd(Path crdYaml) throws IOException {
    JsonNode crd = YAML.readTree(Files.readString(crdYaml));
    return new OpenApiSchemaChecker(crd.at("/spec/versions/0/schema/openAPIV3Schema"));
  }

  static JsonNode readYaml(String yaml) throws IOException {
    return YAML.readTree(yaml);
  }

  /** Problems of the object's spec against the schema, as "path: problem". */
  List<String> check(JsonNode object) {
    List<String> errors = new ArrayList<>();
    ObjectNode copy = object.deepCopy();
    // apiVersion, kind and metadata are validated by the API server itself, not the CRD schema.
    copy.remove(List.of("apiVersion", "kind", "metadata"));
    check(schema, copy, "", errors);
    return errors;
  }

  private void check(JsonNode s, JsonNode v, String path, List<String> errors) {
    for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
      String keyword = it.next();
      if (!KNOWN.contains(keyword)) {
        throw new IllegalStateException(
            "schema keyword not understood by this checker: " + keyword + " at " + path);
      }
    }
    for (JsonNode rule : s.path("x-kubernetes-validations")) {
      var meaning = CEL_RULES.get(rule.path("rule").asText());
      if (meaning == null) {
        throw new IllegalStateException("CEL rule not understood by this checker: " + rule);
      }
      if (v.isObject() && !meaning.test(v)) {
        errors.add(path + ": " + rule.path("message").asText());
      }
    }
    String type = s.path("type").asText("");
    switch (type) {
      case "object" -> checkObject(s, v, path, errors);
      case "array" -> checkArray(s, v, path, errors);
      case "string" -> checkString(s, v, path, errors);
      case "integer" -> checkInteger(s, v, path, errors);
      case "boolean" -> {
        if (!v.isBoolean()) errors.add(path + ": must be a boolean");
      }
      case "" -> {}
      default -> throw new IllegalStateException("type " + type + " at " + path);
    }
    if (s.has("enum")) {
      boolean found = false;
      for (JsonNode e : s.get("enum")) found |= e.equals(v);
      if (!found) errors.add(path + ": not one of " + s.get("enum"));
    }
  }

  private void checkObject(JsonNode s, JsonNode v, String path, List<String> errors) {
    if (!v.isObject()) {
      errors.add(path + ": must be an object");
      return;
    }
    for (JsonNode r : s.path("required")) {
      if (!v.has(r.asText())) errors.add(path + "." + r.asText() + ": required");
    }
    JsonNode props = s.path("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String p = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
      if (props.has(f.getKey())) {
        check(props.get(f.getKey()), f.getValue(), p, errors);
      } else if (s.has("additionalProperties")) {
        check(s.get("additionalProperties"), f.getValue(), p, errors);
      } else if (!s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
        errors.add(p + ": unknown field");
      }
    }
  }

  private void checkArray(JsonNode s, JsonNode v, String path, List<String> errors) {
    if (!v.isArray()) {
      errors.add(path + ": must be an array");
      return;
    }
    if (s.has("minItems") && v.size() < s.get("minItems").asInt())
      errors.add(path + ": fewer than " + s.get("minItems") + " items");
    if (s.has("maxItems") && v.size() > s.get("maxItems").asInt())
      errors.add(path + ": more than " + s.get("maxItems") + " items");
    for (int i = 0; i < v.size(); i++)
      check(s.get("items"), v.get(i), path + "[" + i + "]", errors);
  }

  private void checkString(JsonNode s, JsonNode v, String path, List<String> errors) {
    if (!v.isTextual()) {
      errors.add(path + ": must be a string");
      return;
    }
    String t = v.asText();
    int length = t.codePointCount(0, t.length());
    if (s.has("minLength") && length < s.get("minLength").asInt())
      errors.add(path + ": shorter than " + s.get("minLength"));
    if (s.has("maxLength") && length > s.get("maxLength").asInt())
      errors.add(path + ": longer than " + s.get("maxLength"));
    // The API server searches (RE2, unanchored); our patterns carry their own anchors.
    if (s.has("pattern") && !re2(s.get("pattern").asText()).matcher(t).find()) {
      errors.add(path + ": does not match " + s.get("pattern").asText());
    }
  }

  /**
   * RE2's {@code $} (without multi-line) matches only at the end of text; Java's also before a
   * final newline.
   */
  static Pattern re2(String pattern) {
    return Pattern.compile(pattern.replaceAll("(?<!\\\\)\\$", "\\\\z"));
  }

  private void checkInteger(JsonNode s, JsonNode v, String path, List<String> errors) {
    if (!v.isIntegralNumber()) {
      errors.add(path + ": must be an integer");
      return;
    }
    if (s.has("minimum") && v.asDouble() < s.get("minimum").asDouble())
      errors.add(path + ": less than " + s.get("minimum"));
    if (s.has("maximum") && v.asDouble() > s.get("maximum").asDouble())
      errors.add(path + ": greater than " + s.get("maximum"));
  }
}
