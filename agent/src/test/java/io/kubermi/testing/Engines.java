package io.kubermi.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real engines one test class uses, started on first use by name (several names = several
 * nodes) and stopped, with everything they left, when the class ends.
 */
public final class Engines implements AutoCloseable {
  private final Map<String, DockerDaemon> dockers = new LinkedHashMap<>();
  private final Map<String, ContainerdDaemon> containerds = new LinkedHashMap<>();
  private LocalRegistry registry;

  public synchronized DockerDaemon docker(String node) {
    EngineRequirements.require("docker");
    return dockers.computeIfAbsent(node, DockerDaemon::start);
  }

  public synchronized ContainerdDaemon containerd(String node) {
    EngineRequirements.require("containerd");
    return containerds.computeIfAbsent(node, ContainerdDaemon::start);
  }

  /** A containerd whose root is a tmpfs of {@code megabytes} of its own. */
  public synchronized ContainerdDaemon containerdOnSmallFileSystem(String node, int megabytes) {
    EngineRequirements.require("containerd");
    return containerds.computeIfAbsent(
        node, n -> ContainerdDaemon.startOnSmallFileSystem(n, megabytes));
  }

  public synchronized LocalRegistry registry() {
    EngineRequirements.require("registry");
    if (registry == null) {
      registry = LocalRegistry.start();
    }
    return registry;
  }

  @Override
  public synchronized void close() {
    List<AutoCloseable> all = new ArrayList<>(dockers.values());
    all.addAll(containerds.values());
    if (registry != null) all.add(registry);
    RuntimeException failure = null;
    for (AutoCloseable c : all) {
      try {
        c.close();
      } catch (Exception e) {
        if (failure == null) failure = new IllegalStateException("stopping an engine failed", e);
      }
    }
    dockers.clear();
    containerds.clear();
    registry = null;
    if (failure != null) throw failure;
  }
}
