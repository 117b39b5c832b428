package io.kubermi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code ./kube-rmi demo} prints exactly the output the README shows. */
public class DemoReadmeIT {
  @Test
  void demoOutputIsTheReadmes() throws Exception {
    LocalCommandIT.Run r = LocalCommandIT.run("demo");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(readmeDemoOutput());
  }

  /** The output the README's {@code $ ./kube-rmi demo} block shows. */
  public static String readmeDemoOutput() throws IOException {
    String readme = Files.readString(Path.of("../README.md"));
    String marker = "```text\n$ ./kube-rmi demo\n";
    int start = readme.indexOf(marker);
    assertThat(start).as("README has a demo block").isPositive();
    return readme.substring(
        start + marker.length(), readme.indexOf("```", start + marker.length()));
  }
}
