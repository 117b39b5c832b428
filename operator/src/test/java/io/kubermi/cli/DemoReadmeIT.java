package io.kubermi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code ./kube-rmi demo} prints exactly the output the README shows. */
class DemoReadmeIT {
  @Test
  void demoOutputIsTheReadmes() throws Exception {
    LocalCommandIT.Run r = LocalCommandIT.run("demo");
    assertThat(r.exit()).as(r.err()).isZero();
    String readme = Files.readString(Path.of("../README.md"));
    String marker = "```text\n$ ./kube-rmi demo\n";
    int start = readme.indexOf(marker);
    assertThat(start).as("README has a demo block").isPositive();
    String shown = readme.substring(start + marker.length(), readme.indexOf("```", start + marker.length()));
    assertThat(r.out()).isEqualTo(shown);
  }
}
