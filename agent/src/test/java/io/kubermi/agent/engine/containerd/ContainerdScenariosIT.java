package io.kubermi.agent.engine.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.cli.RmiCommandAccess;
import io.kubermi.agent.engine.OutputNormalizer;
import io.kubermi.agent.engine.RmiScenarios;
import io.kubermi.agent.engine.docker.DockerScenariosAccess;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.api.reference.DockerReference;
import io.kubermi.testing.ContainerdDaemon;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import io.kubermi.testing.LocalRegistry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scenarios of docs/semantics.md §11 (all but the parent/child scenarios: containerd has no
 * image parents) on a real containerd: each scenario is built on Docker and containerd at once from
 * the same saved images; the real {@code docker rmi} runs on Docker, {@code kube-rmi rmi
 * --containerd-address} on containerd. Same lines, messages, exit code, and images left.
 */
@ExtendWith(EnginesExtension.class)
class ContainerdScenariosIT {
  private static DockerDaemon docker;
  private static ContainerdDaemon containerd;
  private static LocalRegistry registry;

  @BeforeAll
  static void start(Engines engines) {
    docker = engines.docker("ref");
    containerd = engines.containerd("node");
    registry = engines.registry();
  }

  static Stream<RmiScenarios.Scenario> scenarios() {
    return RmiScenarios.all().stream().filter(s -> !s.needsParents());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void containerdAnswersAsDocker(RmiScenarios.Scenario scenario) {
    docker.reset();
    containerd.reset();
    MirrorSetup setup = new MirrorSetup(docker, containerd, registry);
    scenario.setup().accept(setup);

    List<String> args = scenario.args().apply(setup);
    List<String> ours =
        new ArrayList<>(List.of("--containerd-address", containerd.socket().toString()));
    List<String> containerdArgs = scenario.args().apply(setup.containerd);
    ours.addAll(containerdArgs);
    RmiCommandAccess.Output o = RmiCommandAccess.run(ours);
    OutputNormalizer.Run actual =
        OutputNormalizer.normalize(
            setup.containerd, containerdArgs, o.out(), o.err(), o.exit(), listing(containerd));

    OutputNormalizer.Run expected = DockerScenariosAccess.dockerCli(docker, setup.docker, args);
    assertThat(actual)
        .as("rmi %s\ncontainerd images after: %s", containerdArgs, containerd.imageListing())
        .isEqualTo(expected);
  }

  /** containerd's images as {@code docker images} lists them: {@code <id> <repo>:<tag>}. */
  static List<String> listing(ContainerdDaemon c) {
    try (ContainerdClient client =
        new ContainerdClient(c.socket().toString(), ContainerdDaemon.NAMESPACE)) {
      ImageStoreModel m =
          new ContainerdSnapshot(client, Platform.node(), ContainerdEngine.DEFAULT_SNAPSHOTTER)
              .read(true) // every blob read: what the manifests and configs say
              .model();
      List<String> lines = new ArrayList<>();
      for (StoredImage i : m.images()) {
        List<DockerReference> refs = m.referencesOf(i.id());
        Set<String> shown = new LinkedHashSet<>();
        refs.stream().filter(r -> !r.hasDigest()).forEach(r -> shown.add(r.familiarString()));
        if (shown.isEmpty()) refs.forEach(r -> shown.add(r.familiarName() + ":<none>"));
        if (shown.isEmpty()) shown.add("<none>:<none>");
        shown.forEach(s -> lines.add(i.id() + " " + s));
      }
      return lines;
    }
  }
}
