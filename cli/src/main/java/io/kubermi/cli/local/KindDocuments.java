package io.kubermi.cli.local;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.reference.ReferenceGrammar;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Every object of one kube-rmi kind in a (multi-document) YAML file, refused whole if any is
 * invalid: each document of that apiVersion and kind, named as Kubernetes names objects, with no
 * field the kind does not have, and valid by the kind's own check. Each problem names the file, the
 * line and column where they are known, the document, the object and the field; every unknown field
 * is named, not only the first.
 */
final class KindDocuments {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** A kind's own check of one object: its problems, each naming the field (empty: valid). */
  interface Check<T> {
    List<String> problems(T object);
  }

  /** One document of the file: its tree, and where its text starts. */
  private record Document(JsonNode tree, int startChar, int startLine) {}

  private KindDocuments() {}

  static <T extends HasMetadata> List<T> read(Path file, String kind, Class<T> type, Check<T> check)
      throws RemovalFile.InvalidInput {
    String text = RemovalFile.text(file);
    List<Document> documents = documents(file, text);
    List<T> objects = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int index = 0;
    for (int i = 0; i < documents.size(); i++) {
      Document doc = documents.get(i);
      if (doc.tree() == null || doc.tree().isNull() || doc.tree().isMissingNode()) continue;
      String where = file + ":" + doc.startLine() + " (document " + index++ + ")";
      if (!KubeRmi.API_VERSION.equals(doc.tree().path("apiVersion").asText())
          || !kind.equals(doc.tree().path("kind").asText())) {
        problems.add(
            where
                + ": apiVersion/kind: must be "
                + KubeRmi.API_VERSION
                + " "
                + kind
                + ", not "
                + doc.tree().path("apiVersion").asText()
                + " "
                + doc.tree().path("kind").asText());
        continue;
      }
      int end = i + 1 < documents.size() ? documents.get(i + 1).startChar() : text.length();
      List<String> fieldProblems = new ArrayList<>();
      T object =
          typed(
              file,
              text.substring(doc.startChar(), end),
              linesBefore(text, doc.startChar()),
              type,
              fieldProblems);
      if (object == null || !fieldProblems.isEmpty()) {
        fieldProblems.forEach(p -> problems.add(p));
        continue;
      }
      String name = object.getMetadata() == null ? null : object.getMetadata().getName();
      String nameProblem = nameProblem(name);
      if (nameProblem != null) {
        problems.add(where + ": " + nameProblem);
        continue;
      }
      for (String p : check.problems(object)) problems.add(where + " (" + name + "): " + p);
      objects.add(object);
    }
    if (!problems.isEmpty()) throw new RemovalFile.InvalidInput(String.join("\n", problems));
    if (objects.isEmpty()) throw new RemovalFile.InvalidInput(file + ": no " + kind + " in it");
    return objects;
  }

  /** The file's documents with where each starts, or the first syntax error with its place. */
  private static List<Document> documents(Path file, String text) throws RemovalFile.InvalidInput {
    List<Document> documents = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(text);
        MappingIterator<JsonNode> it = YAML.readValues(parser, JsonNode.class)) {
      while (true) {
        JsonLocation start = startOfNext(parser);
        if (!it.hasNextValue()) break;
        JsonLocation first = parser.currentTokenLocation();
        JsonNode tree = it.nextValue();
        documents.add(
            new Document(
                tree,
                (int) Math.max(0, start == null ? first.getCharOffset() : start.getCharOffset()),
                first.getLineNr()));
      }
    } catch (JacksonException e) {
      throw new RemovalFile.InvalidInput(syntaxError(file, e));
    } catch (IOException e) {
      throw new RemovalFile.InvalidInput(file + ": cannot read: " + e.getMessage());
    }
    return documents;
  }

  /** {@code file:line:column: not valid YAML: what (while what, from where)}. */
  private static String syntaxError(Path file, JacksonException e) {
    if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
      Mark at = m.getProblemMark();
      Mark from = m.getContextMark();
      return file
          + ":"
          + (at.getLine() + 1)
          + ":"
          + (at.getColumn() + 1)
          + ": not valid YAML: "
          + m.getProblem()
          + (m.getContext() == null
              ? ""
              : " ("
                  + m.getContext()
                  + (from == null
                      ? ""
                      : " at " + (from.getLine() + 1) + ":" + (from.getColumn() + 1))
                  + ")");
    }
    return at(file, e.getLocation(), 0)
        + ": not valid YAML: "
        + e.getOriginalMessage().lines().findFirst().orElse("");
  }

  /** Where the parser stands between documents: the next document's text starts there. */
  private static JsonLocation startOfNext(YAMLParser parser) {
    JsonLocation l = parser.currentLocation();
    return l == null || l.getCharOffset() < 0 ? null : l;
  }

  /**
   * The document as the kind's class, its unknown fields and the first value of a wrong type added
   * to {@code problems} with their places (the document's text parsed on its own, {@code
   * lineOffset} lines into the file).
   */
  private static <T> T typed(
      Path file, String text, int lineOffset, Class<T> type, List<String> problems) {
    DeserializationProblemHandler unknownFields =
        new DeserializationProblemHandler() {
          @Override
          public boolean handleUnknownProperty(
              DeserializationContext ctxt,
              JsonParser p,
              JsonDeserializer<?> deserializer,
              Object bean,
              String name)
              throws IOException {
            // The parser stands on the field's value; the field is named where it was written.
            JsonStreamContext context = p.getParsingContext();
            if (p.currentToken() != null && p.currentToken().isStructStart()) {
              context = context.getParent();
            }
            int value = (int) p.currentTokenLocation().getCharOffset();
            int field = value < 0 ? -1 : text.lastIndexOf(name, value);
            problems.add(
                (field < 0
                        ? at(file, p.currentTokenLocation(), lineOffset)
                        : at(file, text, field, lineOffset))
                    + ": "
                    + path(context)
                    + ": unknown field");
            p.skipChildren();
            return true;
          }
        };
    try (JsonParser parser = YAML.getFactory().createParser(text)) {
      return YAML.readerFor(type).withHandler(unknownFields).readValue(parser);
    } catch (JsonMappingException e) {
      problems.add(
          at(file, e.getLocation(), lineOffset)
              + ": "
              + fieldPath(e)
              + ": "
              + e.getOriginalMessage().lines().findFirst().orElse(""));
      return null;
    } catch (IOException e) {
      problems.add(at(file, null, 0) + ": " + e.getMessage());
      return null;
    }
  }

  /** How many lines of the file end before that character. */
  private static int linesBefore(String text, int charOffset) {
    int lines = 0;
    for (int i = 0; i < charOffset; i++) if (text.charAt(i) == '\n') lines++;
    return lines;
  }

  /** {@code file:line:column} of a character of a document's text. */
  private static String at(Path file, String text, int charOffset, int lineOffset) {
    int lineStart = text.lastIndexOf('\n', charOffset - 1) + 1;
    return file
        + ":"
        + (linesBefore(text, charOffset) + 1 + lineOffset)
        + ":"
        + (charOffset - lineStart + 1);
  }

  private static String at(Path file, JsonLocation l, int lineOffset) {
    if (l == null || l.getLineNr() < 1) return file.toString();
    return file + ":" + (l.getLineNr() + lineOffset) + ":" + l.getColumnNr();
  }

  /** {@code spec.prune.lables}: the field the parser stands on, from the document's root. */
  private static String path(JsonStreamContext context) {
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) parts.add(0, "[" + c.getCurrentIndex() + "]");
      else if (c.getCurrentName() != null) parts.add(0, "." + c.getCurrentName());
    }
    String joined = String.join("", parts);
    return joined.startsWith(".") ? joined.substring(1) : joined;
  }

  private static String fieldPath(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) b.append(b.isEmpty() ? "" : ".").append(r.getFieldName());
      else b.append("[").append(r.getIndex()).append("]");
    }
    return b.isEmpty() ? "(document)" : b.toString();
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
