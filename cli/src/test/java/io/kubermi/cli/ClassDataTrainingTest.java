package io.kubermi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.cli.training.StandInEngines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The training's stand-in engines must carry {@code rmi} and {@code prune} all the way through: if
 * the engines start asking for something the stand-ins do not answer, the commands fail early and
 * the archive silently loses the classes it is there for.
 */
class ClassDataTrainingTest {
  @Test
  void everyCommandAgainstTheStandInsSucceedsAndRemovesTheImage() {
    List<String> outputs = new ArrayList<>();
    List<Integer> exits = new ArrayList<>();
    StandInEngines.train(
        command -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          ByteArrayOutputStream err = new ByteArrayOutputStream();
          exits.add(
              Main.run(
                  command,
                  new PrintStream(out, true, StandardCharsets.UTF_8),
                  new PrintStream(err, true, StandardCharsets.UTF_8)));
          outputs.add(String.join(" ", command) + "\n" + out.toString(StandardCharsets.UTF_8));
        });
    assertThat(exits).as(String.join("\n", outputs)).hasSize(4).containsOnly(0);
    assertThat(outputs.get(0)).contains("Untagged: training:1");
    assertThat(outputs.get(1)).contains("untagged: training:1");
    assertThat(outputs.get(2)).contains("Untagged: training:1");
    assertThat(outputs.get(3)).contains("untagged: training:1", "Total reclaimed space");
  }
}
