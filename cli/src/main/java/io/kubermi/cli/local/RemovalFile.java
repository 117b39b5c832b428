package io.kubermi.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.reference.ReferenceGrammar;
import io.kubermi.api.validation.SpecValidator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/** Every ImageRemoval of a (multi-document) YAML file, refused whole if any is invalid. */
public final class RemovalFile {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public static final class InvalidInput extends Exception {
    public InvalidInput(String message) {
      super(message);
    }
  }

  private RemovalFile() {}

  /**
   * The file's text: a regular file (a device such as /dev/zero, a FIFO or a folder is refused
   * before it is opened) of at most {@link #MAX_BYTES}, read no further than that even if it grows.
   */
  public static String text(Path file) throws InvalidInput {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      if (!a.isRegularFile()) throw new InvalidInput(file + ": not a regular file");
      if (a.size() > MAX_BYTES) throw new InvalidInput(tooBig(file));
      try (InputStream in = Files.newInputStream(file)) {
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) throw new InvalidInput(tooBig(file));
        return new String(bytes, StandardCharsets.UTF_8);
      }
    } catch (NoSuchFileException e) {
      throw new InvalidInput(file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new InvalidInput(file + ": permission denied");
    } catch (IOException e) {
      throw new InvalidInput(file + ": cannot read: " + e.getMessage());
    }
  }

  private static String tooBig(Path file) {
    return file + ": bigger than " + MAX_BYTES + " bytes, the most a removal file may be";
  }

  /** The largest file read: removals of hundreds of images fit in a fraction of it. */
  public static final int MAX_BYTES = 1024 * 1024;

  public static List<ImageRemoval> read(Path file) throws InvalidInput {
    String text = text(file);
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
        if (name.length() > ReferenceGrammar.NODE_NAME_MAX_LENGTH
            || !name.matches(ReferenceGrammar.NODE_NAME)) {
          problems.add(
              where
                  + ": metadata.name: invalid value \""
                  + (name.length() > 80 ? name.substring(0, 80) + "…" : name)
                  + "\": a lowercase RFC 1123 subdomain (a-z, 0-9, '-' and '.', at most "
                  + ReferenceGrammar.NODE_NAME_MAX_LENGTH
                  + " characters), as Kubernetes requires");
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
