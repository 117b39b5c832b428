package io.kubermi.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.reference.ReferenceGrammar;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every object of one kube-rmi kind in a (multi-document) YAML file, refused whole if any is
 * invalid: each document of that apiVersion and kind, named as Kubernetes names objects, and valid
 * by the kind's own check. Each problem names the document, the object and the field.
 */
final class KindDocuments {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** A kind's own check of one object: its problems, each naming the field (empty: valid). */
  interface Check<T> {
    List<String> problems(T object);
  }

  private KindDocuments() {}

  static <T extends HasMetadata> List<T> read(Path file, String kind, Class<T> type, Check<T> check)
      throws RemovalFile.InvalidInput {
    String text = RemovalFile.text(file);
    List<T> objects = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(text)) {
      int index = 0;
      for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (doc == null || doc.isNull() || doc.isMissingNode()) continue;
        String where = file + " document " + index++;
        if (!KubeRmi.API_VERSION.equals(doc.path("apiVersion").asText())
            || !kind.equals(doc.path("kind").asText())) {
          problems.add(
              where
                  + ": apiVersion/kind: must be "
                  + KubeRmi.API_VERSION
                  + " "
                  + kind
                  + ", not "
                  + doc.path("apiVersion").asText()
                  + " "
                  + doc.path("kind").asText());
          continue;
        }
        T object = YAML.treeToValue(doc, type);
        String name = object.getMetadata() == null ? null : object.getMetadata().getName();
        String nameProblem = nameProblem(name);
        if (nameProblem != null) {
          problems.add(where + ": " + nameProblem);
          continue;
        }
        for (String p : check.problems(object)) problems.add(where + " (" + name + "): " + p);
        objects.add(object);
      }
    } catch (IOException e) {
      throw new RemovalFile.InvalidInput(
          file
              + ": not valid YAML for "
              + kind
              + "s: "
              + e.getMessage().lines().findFirst().orElse(""));
    }
    if (!problems.isEmpty()) throw new RemovalFile.InvalidInput(String.join("\n", problems));
    if (objects.isEmpty()) throw new RemovalFile.InvalidInput(file + ": no " + kind + " in it");
    return objects;
  }

  /** What is wrong with an object's name as Kubernetes checks it, or null. */
  private static String nameProblem(String name) {
    if (name == null || name.isBlank()) return "metadata.name: required";
    if (name.length() <= ReferenceGrammar.NODE_NAME_MAX_LENGTH
        && name.matches(ReferenceGrammar.NODE_NAME)) {
      return null;
    }
    return "metadata.name: invalid value \""
        + (name.length() > 80 ? name.substring(0, 80) + "…" : name)
        + "\": a lowercase RFC 1123 subdomain (a-z, 0-9, '-' and '.', at most "
        + ReferenceGrammar.NODE_NAME_MAX_LENGTH
        + " characters), as Kubernetes requires";
  }
}
