package io.kubermi.agent.engine;

import java.util.List;

/** docker rmi's flags, plus dryRun. */
public record RemovalOptions(
    boolean force, boolean noPrune, List<String> platforms, boolean dryRun) {
  public RemovalOptions {
    platforms = platforms == null ? List.of() : List.copyOf(platforms);
  }

  /** The same flags, planning only. */
  public RemovalOptions asDryRun() {
    return new RemovalOptions(force, noPrune, platforms, true);
  }

  public static RemovalOptions defaults() {
    return new RemovalOptions(false, false, List.of(), false);
  }
}
