package io.kubermi.agent.engine;

import io.kubermi.agent.engine.containerd.ContainerdEngine;
import io.kubermi.agent.engine.docker.DockerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Opens an engine by probing sockets. An explicit choice wins; otherwise the first socket that
 * exists and answers, containerd's first (what most Kubernetes nodes run; also k3s and microk8s),
 * then Docker's. A Docker host also has a containerd socket (Docker's own, namespace moby): a
 * containerd without the kubelet's namespace is passed over, so probing finds Docker there, and an
 * explicit containerd choice fails saying why. The agent first narrows {@code auto} to the engine
 * its node's kubelet reports ({@link NodeRuntime}); {@code local}, with no Node, probes.
 */
public final class EngineDetector {
  public static final List<String> CONTAINERD_SOCKETS =
      List.of(
          "/run/containerd/containerd.sock",
          "/run/k3s/containerd/containerd.sock",
          "/var/snap/microk8s/common/run/containerd.sock");
  public static final List<String> DOCKER_SOCKETS = List.of("/var/run/docker.sock");

  /**
   * {@code auto}, {@code docker} or {@code containerd}, with the sockets to try, and containerd's
   * namespace and snapshotter ({@code auto}: the one its images are unpacked into).
   */
  public record Choice(
      String engine,
      List<String> containerdSockets,
      List<String> dockerSockets,
      String namespace,
      String snapshotter) {
    public Choice(
        String engine,
        List<String> containerdSockets,
        List<String> dockerSockets,
        String namespace) {
      this(engine, containerdSockets, dockerSockets, namespace, ContainerdEngine.AUTO_SNAPSHOTTER);
    }

    public Choice withEngine(String engine) {
      return new Choice(engine, containerdSockets, dockerSockets, namespace, snapshotter);
    }
  }

  private EngineDetector() {}

  public static Engine detect(Choice choice, ProtectedImages protectedImages) {
    List<String> tried = new ArrayList<>();
    if (!choice.engine().equals("docker")) {
      for (String socket : choice.containerdSockets()) {
        Engine e =
            tryEngine(
                socket,
                tried,
                () ->
                    new ContainerdEngine(
                        socket, choice.namespace(), choice.snapshotter(), protectedImages, true));
        if (e != null) return e;
      }
    }
    if (!choice.engine().equals("containerd")) {
      for (String socket : choice.dockerSockets()) {
        Engine e =
            tryEngine(socket, tried, () -> new DockerEngine("unix://" + socket, protectedImages));
        if (e != null) return e;
      }
    }
    throw new EngineException(
        "no "
            + (choice.engine().equals("auto") ? "container engine" : choice.engine())
            + " answers on this node; tried "
            + String.join(", ", tried));
  }

  private static Engine tryEngine(String socket, List<String> tried, Supplier<Engine> open) {
    if (!Files.exists(Path.of(socket))) {
      tried.add(socket + " (absent)");
      return null;
    }
    Engine engine = open.get();
    try {
      engine.info();
      if (engine instanceof ContainerdEngine c) c.requireNamespace();
      return engine;
    } catch (EngineException e) {
      tried.add(socket + " (" + e.getMessage() + ")");
      engine.close();
      return null;
    }
  }
}
