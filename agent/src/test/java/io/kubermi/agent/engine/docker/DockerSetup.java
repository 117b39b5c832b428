package io.kubermi.agent.engine.docker;

import io.kubermi.agent.engine.ScenarioSetup;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.LocalRegistry;

/** Builds a scenario on one real Docker daemon. */
public final class DockerSetup extends ScenarioSetup {
  private final DockerDaemon docker;
  private final LocalRegistry registry;

  public DockerSetup(DockerDaemon docker, LocalRegistry registry) {
    this.docker = docker;
    this.registry = registry;
  }

  @Override
  public void image(String role, String ref) {
    roles.put(role, docker.importImage(ref, "content-" + role));
  }

  @Override
  public void tag(String source, String target) {
    docker.dockerOk("tag", source, target);
  }

  @Override
  public void digest(String role, String image, String repoTag) {
    String ref = registry.pushAndPullByDigest(docker, image, repoTag);
    roles.put(role, ref.substring(ref.indexOf('@') + 1));
  }

  @Override
  public void onlyDigest(String role, String image, String repoTag) {
    digest(role, image, repoTag);
    // Gone locally, then pulled by digest alone, as in the docs.
    docker.dockerOk("rmi", image, repo(repoTag));
    docker.dockerOk("pull", repo(repoTag.substring(0, repoTag.lastIndexOf(':'))) + "@" + id(role));
  }

  @Override
  public void untag(String ref) {
    docker.dockerOk("rmi", ref);
  }

  @Override
  public void stopped(String role, String image) {
    roles.put(role, docker.createContainer(image, role));
  }

  @Override
  public void running(String role, String image) {
    roles.put(role, docker.runContainer(image, role));
  }

  @Override
  public void child(String role, String parent, String ref) {
    roles.put(role, docker.commitChild(parent, ref));
  }

  @Override
  public String registryHost() {
    return registry.host();
  }
}
