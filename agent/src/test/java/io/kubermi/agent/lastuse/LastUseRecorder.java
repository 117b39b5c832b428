package io.kubermi.agent.lastuse;

import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.containerd.ContainerdEngine;
import io.kubermi.agent.engine.docker.DockerEngine;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What the agent runs of the last-use record, as a process of its own that a test kills: the engine
 * ({@code docker HOST} or {@code containerd SOCKET}), a tracker on the node folder started as the
 * agent starts it, then nothing until killed.
 */
public final class LastUseRecorder {
  /** The environment variable naming the engine's address. */
  static final String ADDRESS = "LAST_USE_ENGINE_ADDRESS";

  private LastUseRecorder() {}

  public static void main(String[] args) throws InterruptedException {
    String address = System.getenv(ADDRESS);
    Engine engine =
        args[0].equals("docker")
            ? new DockerEngine(address, ProtectedImages.none())
            : new ContainerdEngine(address, ProtectedImages.none());
    LastUseTracker tracker = LastUseTracker.open(engine, Path.of(args[1]), Clock.systemUTC());
    System.out.println("damage: " + tracker.damage().orElse("none"));
    tracker.start();
    Thread.sleep(Long.MAX_VALUE);
  }
}
