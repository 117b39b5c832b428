package io.kubermi.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docker image prune's spellings, as its CLI (pflag) reads them. */
class PruneArgumentsTest {
  private static PruneArguments parse(String... args) throws Exception {
    return PruneArguments.parse(args, null);
  }

  @Test
  void clusteredShortFlagsAndBothFormsOfAValue() throws Exception {
    PruneArguments a = parse("-af", "--filter=until=24h", "--filter", "label=team=a");
    assertThat(a.all()).isTrue();
    assertThat(a.filters()).containsExactly("until=24h", "label=team=a");
    assertThat(parse("-fa").all()).isTrue();
  }

  @Test
  void aFlagGivenTwiceKeepsItsLastValue() throws Exception {
    assertThat(parse("-H", "unix:///a.sock", "-H", "unix:///b.sock").dockerHost())
        .isEqualTo("unix:///b.sock");
  }

  @Test
  void refusalsAreInDockersWords() {
    assertThatThrownBy(() -> parse("--bogus")).hasMessage("unknown flag: --bogus");
    assertThatThrownBy(() -> parse("--filter")).hasMessage("flag needs an argument: --filter");
    assertThatThrownBy(() -> parse("x")).hasMessage("\"kube-rmi prune\" accepts no arguments.");
  }

  @Test
  void keepNewestIsBounded() throws Exception {
    assertThat(parse("-a", "--keep-newest", "3").keepNewest()).isEqualTo(3);
    assertThat(parse("-a").keepNewest()).isNull();
    assertThatThrownBy(() -> parse("--keep-newest", "0"))
        .hasMessage("invalid argument \"0\" for \"--keep-newest\" flag: must be 1 to 10000");
    assertThatThrownBy(() -> parse("--keep-newest", "10001"))
        .hasMessage("invalid argument \"10001\" for \"--keep-newest\" flag: must be 1 to 10000");
  }

  @Test
  void unusedForIsAGoDurationWithinItsBoundsAndReadsTheNodeFolder() throws Exception {
    PruneArguments a = parse("-a", "--unused-for", "1h30m", "--node-folder", "/srv/kube-rmi");
    assertThat(a.unusedFor()).isEqualTo(Duration.ofMinutes(90));
    assertThat(a.nodeFolder()).isEqualTo(Path.of("/srv/kube-rmi"));
    assertThat(parse("-a").nodeFolder()).isEqualTo(Path.of("/var/lib/kube-rmi"));
    assertThat(parse("-a").unusedFor()).isNull();
    for (String bad : List.of("7d", "30s", "-1h", "87601h", "soon")) {
      assertThatThrownBy(() -> parse("--unused-for", bad))
          .hasMessage(
              "invalid argument \""
                  + bad
                  + "\" for \"--unused-for\" flag: must be a Go duration from 1m to 87600h, e.g."
                  + " 168h");
    }
  }

  @Test
  void imageBytesThresholdsAreQuantitiesGivenTogetherWithLowBelowHigh() throws Exception {
    PruneArguments a = parse("-a", "--image-bytes-high", "20Gi", "--image-bytes-low", "15Gi");
    assertThat(a.imageBytesHigh()).isEqualTo(20L << 30);
    assertThat(a.imageBytesLow()).isEqualTo(15L << 30);
    assertThatThrownBy(() -> parse("--image-bytes-high", "20Gi"))
        .hasMessage("--image-bytes-high and --image-bytes-low go together");
    assertThatThrownBy(() -> parse("--image-bytes-high", "1Gi", "--image-bytes-low", "2Gi"))
        .hasMessage(
            "invalid argument \"2Gi\" for \"--image-bytes-low\" flag: must be below"
                + " --image-bytes-high");
    assertThatThrownBy(() -> parse("--image-bytes-high", "lots", "--image-bytes-low", "1"))
        .hasMessage(
            "invalid argument \"lots\" for \"--image-bytes-high\" flag: must be a quantity of"
                + " bytes such as 20Gi or 500M");
  }

  @Test
  void theHelpExplainsEveryFlag() {
    assertThat(PruneCommand.help())
        .startsWith("Usage: kube-rmi prune")
        .contains(
            "--all",
            "--force",
            "--filter",
            "--exclude",
            "--keep-newest",
            "--unused-for",
            "--image-bytes-high",
            "--image-bytes-low",
            "--node-folder",
            "--dry-run",
            "--docker-host")
        .contains("--containerd-address", "Exit codes:");
  }
}
