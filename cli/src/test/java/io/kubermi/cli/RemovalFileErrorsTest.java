package io.kubermi.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubermi.cli.local.RemovalFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user reads when a removal file is wrong: the file, line and column, every field. */
class RemovalFileErrorsTest {
  @TempDir Path dir;

  private Path write(String yaml) throws Exception {
    return Files.writeString(dir.resolve("r.yaml"), yaml);
  }

  @Test
  void everyUnknownFieldIsNamedWithItsLineAndColumn() throws Exception {
    Path f =
        write(
            """
            apiVersion: kube-rmi.io/v1alpha1
            kind: ImageRemoval
            metadata:
              name: ok
            spec:
              images: ["a:1"]
            ---
            # the second
            apiVersion: kube-rmi.io/v1alpha1
            kind: ImageRemoval
            metadata:
              name: typos
            spec:
              image: ["a:1"]
              prune:
                lables: ["x=y"]
              forse: true
            """);
    assertThatThrownBy(() -> RemovalFile.read(f))
        .isInstanceOf(RemovalFile.InvalidInput.class)
        .hasMessage(
            f
                + ":14:3: spec.image: unknown field\n"
                + f
                + ":16:5: spec.prune.lables: unknown field\n"
                + f
                + ":17:3: spec.forse: unknown field");
  }

  @Test
  void aValueOfTheWrongTypeNamesTheFieldAndPlace() throws Exception {
    Path f =
        write(
            """
            apiVersion: kube-rmi.io/v1alpha1
            kind: ImageRemoval
            metadata:
              name: wrong
            spec:
              images: ["a:1"]
              force: [yes]
            """);
    assertThatThrownBy(() -> RemovalFile.read(f)).hasMessageStartingWith(f + ":7:10: spec.force: ");
  }

  @Test
  void malformedYamlSaysWhere() throws Exception {
    Path f =
        write(
            """
            apiVersion: kube-rmi.io/v1alpha1
            kind: ImageRemoval
            metadata:
              name: broken
            spec:
              images: ["a:1"
            """);
    assertThatThrownBy(() -> RemovalFile.read(f))
        .hasMessageStartingWith(f + ":7:1: not valid YAML: ");
  }

  @Test
  void aValidFileStillReads() throws Exception {
    Path f =
        write(
            """
            ---
            apiVersion: kube-rmi.io/v1alpha1
            kind: ImageRemoval
            metadata:
              name: one
            spec:
              images: ["a:1"]
            ---
            ---
            apiVersion: kube-rmi.io/v1alpha1
            kind: ImageRemoval
            metadata: {name: two}
            spec: {prune: {all: true}}
            """);
    assertThat(RemovalFile.read(f))
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("one", "two");
  }
}
