package io.kubermi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code ./kube-rmi local} as the README shows it, against a real Docker daemon. */
@ExtendWith(EnginesExtension.class)
class LocalCommandIT {
  private static DockerDaemon docker;

  @BeforeAll
  static void start(Engines engines) {
    docker = engines.docker("local");
  }

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theReadmeExampleUntagsAndPreviews() {
    docker.reset();
    String a = docker.importImage("a:1");
    String b = docker.importImage("b:1");
    Run r =
        run(
            "local",
            "-f",
            "../examples/local-cleanup.yaml",
            "--docker-host",
            docker.host(),
            "--node-name",
            "laptop");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "imageremoval/cleanup-a: Succeeded (1/1 nodes succeeded)\nnode laptop:\nUntagged: a:1\nDeleted: "
                + a)
        .contains(
            "imageremoval/preview-b: Succeeded (1/1 nodes succeeded)\nnode laptop: (dry run)\nUntagged: b:1\nDeleted: "
                + b);
    assertThat(docker.imageListing()).singleElement().asString().startsWith(b + " b:1");
  }

  /**
   * An image the node does not have: the removal Succeeds (nothing to do is no failure), its
   * summary counts it, and local exits as docker rmi does for it.
   */
  @Test
  void aMissingImageExitsAsDockerRmiDoes() throws Exception {
    docker.reset();
    docker.importImage("a:1");
    Path file = Files.createTempFile("irm", ".yaml");
    Files.writeString(
        file,
        """
        apiVersion: kube-rmi.io/v1alpha1
        kind: ImageRemoval
        metadata:
          name: typo
        spec:
          images: ["a:1", "a:2"]
        """);
    Run r = run("local", "-f", file.toString(), "--docker-host", docker.host(), "-o", "json");
    JsonNode list = new ObjectMapper().readTree(r.out());
    assertThat(list.path("kind").asText()).isEqualTo("List");
    assertThat(list.path("items")).hasSize(1);
    JsonNode json = list.at("/items/0");
    assertThat(json.path("status").path("phase").asText()).isEqualTo("Succeeded");
    assertThat(json.at("/status/summary/notFound").asInt()).isEqualTo(1);
    assertThat(json.at("/status/conditions"))
        .anySatisfy(
            c -> {
              assertThat(c.path("type").asText()).isEqualTo("Ready");
              assertThat(c.path("message").asText()).endsWith("not found on any node: a:2");
            });
    docker.importImage("a:1");
    int dockers = docker.docker("rmi", "a:1", "a:2").exit();
    assertThat(dockers).isEqualTo(1);
    assertThat(r.exit()).isEqualTo(dockers);
  }

  @Test
  void aConflictExitsOneAndJsonIsTheObjects() throws Exception {
    docker.reset();
    docker.importImage("a:1");
    docker.dockerOk("tag", "a:1", "b:1");
    Path file = Files.createTempFile("irm", ".yaml");
    Files.writeString(
        file,
        """
        apiVersion: kube-rmi.io/v1alpha1
        kind: ImageRemoval
        metadata:
          name: by-id
        spec:
          images: ["%s"]
        """
            .formatted(docker.imageId("a:1").substring(7, 19)));
    Run r = run("local", "-f", file.toString(), "--docker-host", docker.host(), "-o", "json");
    assertThat(r.exit()).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(r.out()).at("/items/0");
    assertThat(json.path("status").path("phase").asText()).isEqualTo("Failed");
    assertThat(json.at("/status/nodes/0/results/0/message").asText())
        .endsWith("image is referenced in multiple repositories");
    assertThat(docker.imageListing()).hasSize(2);
  }

  @Test
  void invalidInputIsRefusedWholeAndChangesNothing() throws Exception {
    docker.reset();
    docker.importImage("a:1");
    Path file = Files.createTempFile("irm", ".yaml");
    Files.writeString(
        file,
        """
        apiVersion: kube-rmi.io/v1alpha1
        kind: ImageRemoval
        metadata: {name: fine}
        spec: {images: ["a:1"]}
        ---
        apiVersion: kube-rmi.io/v1alpha1
        kind: ImageRemoval
        metadata: {name: broken}
        spec: {images: ["a:1", "A?:1"], nodeTimeoutSeconds: 0}
        """);
    Run r = run("local", "-f", file.toString(), "--docker-host", docker.host());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("nothing applied")
        .contains("(broken): spec.images[1]: invalid value \"A?:1\"")
        .contains("(broken): spec.nodeTimeoutSeconds: invalid value 0");
    assertThat(docker.imageListing()).hasSize(1);
    assertThat(run("local", "-f", file.toString(), "-o", "xml").exit()).isEqualTo(2);
    assertThat(run("local", "-f", "/nonexistent.yaml").err())
        .contains("/nonexistent.yaml: no such file");
  }

  @Test
  void thePruneExamplePrunesTheDanglingImageAndPrintsTheNodesLines() {
    docker.reset();
    String dangling = docker.importImage("x:1");
    String kept = docker.importImage("x:1"); // the tag moves: the first image is dangling
    Run r =
        run(
            "local",
            "-f",
            "../examples/prune-dangling.yaml",
            "--docker-host",
            docker.host(),
            "--node-name",
            "laptop");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith(
            "imageremoval/prune-dangling: Succeeded (1/1 nodes succeeded)\nnode laptop:\ndeleted: "
                + dangling
                + "\ndeleted: sha256:");
    assertThat(docker.imageListing()).singleElement().asString().startsWith(kept + " x:1");
  }

  @Test
  void simulatedNeedsNoEngine() {
    Run r = run("local", "-f", "../examples/untag.yaml", "--simulated");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "imageremoval/untag-test1: Succeeded (1/1 nodes succeeded)\nnode local:\nUntagged: test1:latest\n");
  }
}
