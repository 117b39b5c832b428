package io.kubermi.agent.engine.containerd;

import io.kubermi.agent.engine.ScenarioSetup;
import io.kubermi.agent.engine.docker.DockerSetup;
import io.kubermi.api.reference.DockerReference;
import io.kubermi.testing.ContainerdDaemon;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.LocalRegistry;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;

/**
 * Builds a scenario twice at once: on a Docker daemon (the reference) and on containerd, the images
 * carried over by {@code docker save} so both have the same image IDs. containerd names are given
 * as the CRI gives them (fully normalized, plus {@code sha256:<id>} added by the CRI plugin);
 * digest references point at the image's manifest. {@link #containerd} holds the roles as
 * containerd sees them.
 */
final class MirrorSetup extends ScenarioSetup {
  final DockerSetup docker;
  final ContainerdSide containerd = new ContainerdSide();
  private final DockerDaemon dockerDaemon;
  private final ContainerdDaemon c;
  private final LocalRegistry registry;
  private final Random ids = new Random(1);

  MirrorSetup(DockerDaemon dockerDaemon, ContainerdDaemon containerd, LocalRegistry registry) {
    this.dockerDaemon = dockerDaemon;
    this.c = containerd;
    this.registry = registry;
    this.docker = new DockerSetup(dockerDaemon, registry);
  }

  /** The containerd roles; the same IDs, its own digests and container IDs. */
  final class ContainerdSide extends ScenarioSetup {
    @Override
    public void image(String role, String ref) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void tag(String source, String target) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void digest(String role, String image, String repoTag) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void onlyDigest(String role, String image, String repoTag) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void untag(String ref) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void stopped(String role, String image) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void running(String role, String image) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void child(String role, String parent, String ref) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String registryHost() {
      return registry.host();
    }
  }

  static String normalized(String ref) {
    try {
      return DockerReference.parseNormalizedNamed(ref).withDefaultTag().toString();
    } catch (Exception e) {
      throw new IllegalArgumentException(ref, e);
    }
  }

  @Override
  public void image(String role, String ref) {
    docker.image(role, ref);
    roles.put(role, docker.id(role));
    Path tar = c.dir().resolve("img-" + role + ".tar");
    dockerDaemon.dockerOk("save", "-o", tar.toString(), ref);
    c.importArchive(tar);
    containerd.roles.put(role, docker.id(role));
  }

  @Override
  public void tag(String source, String target) {
    docker.tag(source, target);
    c.tag(normalized(source), normalized(target));
  }

  @Override
  public void digest(String role, String image, String repoTag) {
    docker.digest(role, image, repoTag);
    roles.put(role, docker.id(role));
    String target = c.targetOf(normalized(image));
    c.tag(normalized(image), normalized(repo(repoTag)));
    c.tag(
        normalized(image),
        normalized(repo(repoTag.substring(0, repoTag.lastIndexOf(':'))))
                .replaceFirst(":latest$", "")
            + "@"
            + target);
    containerd.roles.put(role, target);
  }

  @Override
  public void onlyDigest(String role, String image, String repoTag) {
    docker.onlyDigest(role, image, repoTag);
    roles.put(role, docker.id(role));
    String target = c.targetOf(normalized(image));
    String repo =
        normalized(repo(repoTag.substring(0, repoTag.lastIndexOf(':'))))
            .replaceFirst(":latest$", "");
    c.tag(normalized(image), repo + "@" + target);
    c.removeName(normalized(image));
    containerd.roles.put(role, target);
  }

  @Override
  public void untag(String ref) {
    docker.untag(ref);
    c.removeName(normalized(ref));
  }

  @Override
  public void stopped(String role, String image) {
    docker.stopped(role, image);
    roles.put(role, docker.id(role));
    containerd.roles.put(role, c.createContainer(normalized(image), hexId()));
  }

  @Override
  public void running(String role, String image) {
    docker.running(role, image);
    roles.put(role, docker.id(role));
    containerd.roles.put(role, c.runContainer(normalized(image), hexId()));
  }

  @Override
  public void child(String role, String parent, String ref) {
    throw new UnsupportedOperationException("containerd has no image parents");
  }

  @Override
  public String registryHost() {
    return registry.host();
  }

  /** Container IDs like Docker's (64 hex), so messages name them the same way. */
  private String hexId() {
    byte[] b = new byte[32];
    ids.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
