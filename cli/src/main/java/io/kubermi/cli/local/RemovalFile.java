package io.kubermi.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.validation.SpecValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Every ImageRemoval of a (multi-document) YAML file, refused whole if any is invalid. */
public final class RemovalFile {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public static final class InvalidInput extends Exception {
    InvalidInput(String message) {
      super(message);
    }
  }

  private RemovalFile() {}

  public static List<ImageRemoval> read(Path file) throws InvalidInput {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new InvalidInput(file + ": cannot read: " + e.getMessage());
    }
    List<ImageRemoval> removals = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(text)) {
      int index = 0;
      for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (doc == null || doc.isNull() || doc.isMissingNode()) continue;
        String where = file + " document " + index++;
        if (!KubeRmi.API_VERSION.equals(doc.path("apiVersion").asText())
            || !"ImageRemoval".equals(doc.path("kind").asText())) {
          problems.add(
              where
                  + ": apiVersion/kind: must be "
                  + KubeRmi.API_VERSION
                  + " ImageRemoval, not "
                  + doc.path("apiVersion").asText()
                  + " "
                  + doc.path("kind").asText());
          continue;
        }
        ImageRemoval r = YAML.treeToValue(doc, ImageRemoval.class);
        String name = r.getMetadata() == null ? null : r.getMetadata().getName();
        if (name == null || name.isBlank()) {
          problems.add(where + ": metadata.name: required");
          continue;
        }
        for (String p : SpecValidator.validate(r.getSpec()))
          problems.add(where + " (" + name + "): " + p);
        removals.add(r);
      }
    } catch (IOException e) {
      throw new InvalidInput(
          file
              + ": not valid YAML for ImageRemovals: "
              + e.getMessage().lines().findFirst().orElse(""));
    }
    if (!problems.isEmpty()) throw new InvalidInput(String.join("\n", problems));
    if (removals.isEmpty()) throw new InvalidInput(file + ": no ImageRemoval in it");
    return removals;
  }
}
