package io.kubermi.agent.engine.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.api.ImageResult;
import io.kubermi.api.Outcome;
import io.kubermi.testing.ContainerdDaemon;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A batch's deletions run asynchronously, one chain per group of dependent arguments. Here a name
 * is deleted behind the plan's back (as another client could), so containerd refuses its deletion:
 * that argument is an Error, the later argument of its group is left to the caller (it was planned
 * on a model where the first one went), and the independent group is carried out.
 */
@ExtendWith(EnginesExtension.class)
class ContainerdFailedDeletionIT {
  @Test
  void aFailedDeletionStopsOnlyItsOwnGroup(Engines engines) {
    DockerDaemon docker = engines.docker("fd");
    ContainerdDaemon c = engines.containerd("fd");
    docker.importImage("a:1");
    docker.dockerOk("tag", "a:1", "a:2");
    String b = docker.importImage("b:1");
    Path tar = c.dir().resolve("images.tar");
    docker.dockerOk("save", "-o", tar.toString(), "a:1", "a:2", "b:1");
    c.importArchive(tar);

    try (ContainerdEngine engine =
            new ContainerdEngine(c.socket().toString(), ProtectedImages.none());
        ContainerdClient client =
            new ContainerdClient(c.socket().toString(), ContainerdDaemon.NAMESPACE)) {
      ContainerdState state = engine.read();
      c.removeName("docker.io/library/a:1");
      List<ImageResult> planned = new ArrayList<>();
      List<String> heldWhenPlanned = new ArrayList<>();
      ImageResult[] results =
          new BatchRemoval(client, "overlayfs", state, ref -> null, true)
              .run(
                  List.of("a:1", "a:2", "b:1"),
                  false,
                  true,
                  new long[1],
                  plan -> {
                    planned.addAll(plan);
                    heldWhenPlanned.addAll(c.imageListing());
                  });

      assertThat(planned)
          .as("the plan handed out: every argument as the model read before a:1 went predicts it")
          .extracting(ImageResult::getImage, ImageResult::getOutcome)
          .containsExactly(
              tuple("a:1", Outcome.Removed),
              tuple("a:2", Outcome.Removed),
              tuple("b:1", Outcome.Removed));
      assertThat(planned.get(0).getUntagged()).containsExactly("a:1");
      assertThat(planned.get(0).getDeleted()).as("a:2 still names the image").isEmpty();
      assertThat(planned.get(2).getDeleted()).contains(b);
      assertThat(heldWhenPlanned)
          .as("handed out before any deletion")
          .anyMatch(l -> l.startsWith("docker.io/library/a:2 "))
          .anyMatch(l -> l.startsWith("docker.io/library/b:1 "));

      assertThat(results[0].getOutcome()).isEqualTo(Outcome.Error);
      assertThat(results[0].getMessage()).contains("NOT_FOUND");
      assertThat(results[1]).as("planned on a model without a:1, so not carried out").isNull();
      assertThat(results[2].getOutcome()).isEqualTo(Outcome.Removed);
      assertThat(results[2].getDeleted()).contains(b);
      assertThat(c.imageListing())
          .anyMatch(l -> l.startsWith("docker.io/library/a:2 "))
          .noneMatch(l -> l.startsWith("docker.io/library/b:1 "));
    }
  }
}
