package io.kubermi.agent.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.cli.RmiCommandAccess;
import io.kubermi.agent.engine.OutputNormalizer;
import io.kubermi.agent.engine.RmiScenarios;
import io.kubermi.testing.CurrentDockerCli;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import io.kubermi.testing.LocalRegistry;
import io.kubermi.testing.Sh;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scenarios of docs/semantics.md §11 on a real daemon: each scenario is set up, removed with
 * the real {@code docker rmi} CLI, set up again identically and removed with {@code kube-rmi rmi}.
 * Both must print the same lines in the same order, the same errors and exit code, and leave the
 * same images. IDs differ between the two setups (import time is part of an image), so outputs are
 * compared with IDs and digests replaced by role names.
 */
@ExtendWith(EnginesExtension.class)
class DockerScenariosIT {
  private static DockerDaemon docker;
  private static LocalRegistry registry;

  @BeforeAll
  static void start(Engines engines) {
    docker = engines.docker("scen");
    registry = engines.registry();
  }

  static Stream<RmiScenarios.Scenario> scenarios() {
    return RmiScenarios.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void kubeRmiPrintsWhatDockerPrints(RmiScenarios.Scenario scenario) {
    docker.reset();
    DockerSetup first = new DockerSetup(docker, registry);
    scenario.setup().accept(first);
    List<String> args = scenario.args().apply(first);
    OutputNormalizer.Run expected = dockerCli(docker, first, args);

    docker.reset();
    DockerSetup second = new DockerSetup(docker, registry);
    scenario.setup().accept(second);
    List<String> ours = new ArrayList<>(List.of("--docker-host", docker.host()));
    List<String> secondArgs = scenario.args().apply(second);
    ours.addAll(secondArgs);
    RmiCommandAccess.Output o = RmiCommandAccess.run(ours);
    OutputNormalizer.Run actual =
        OutputNormalizer.normalize(second, secondArgs, o.out(), o.err(), o.exit(), listing(docker));

    assertThat(actual).as("docker rmi %s", args).isEqualTo(expected);
    assertThat(expected.out().size() + expected.err().size())
        .as("the scenario printed something")
        .isPositive();
  }

  /**
   * The current docker CLI (the {@code docker} first on PATH, 28.x on the build machines; the
   * daemon is Debian's 20.10), normalized: users read today's CLI, so kube-rmi prints its words.
   */
  static OutputNormalizer.Run dockerCli(DockerDaemon docker, DockerSetup setup, List<String> args) {
    List<String> rmi = new ArrayList<>(List.of("rmi"));
    rmi.addAll(args);
    Sh.Result real = CurrentDockerCli.run(docker, rmi);
    return OutputNormalizer.normalize(
        setup, args, real.out(), real.err(), real.exit(), listing(docker));
  }

  /** {@code <id> <repo>:<tag>} per image, as docker images shows it. */
  static List<String> listing(DockerDaemon docker) {
    return docker.imageListing().stream().map(l -> l.replaceAll(" \\S+$", "")).toList();
  }
}
