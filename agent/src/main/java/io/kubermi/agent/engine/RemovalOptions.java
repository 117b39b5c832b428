package io.kubermi.agent.engine;

import java.util.List;

/** docker rmi's flags, plus dryRun. */
public record RemovalOptions(
    boolean force, boolean noPrune, List<String> platforms, boolean dryRun) {
  public RemovalOptions {
    platforms = platforms == null ? List.of() : List.copyOf(platforms);
  }

  public static RemovalOptions defaults() {
    return new RemovalOptions(false, false, List.of(), false);
  }
}
