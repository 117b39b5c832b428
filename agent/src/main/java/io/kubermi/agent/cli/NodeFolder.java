package io.kubermi.agent.cli;

import io.kubermi.agent.lastuse.LastUseFile;
import io.kubermi.agent.lastuse.LastUseRecord;
import java.nio.file.Path;

/**
 * The agent's node folder seen from a command run on the node: its last-use record, read only (the
 * agent owns the file; a command takes the engine's present state in on a copy in memory).
 */
public final class NodeFolder {
  /** Where the chart mounts it in the agent's pod (the node's /var/lib/kube-rmi). */
  public static final String DEFAULT = "/var/lib/kube-rmi";

  /** Why a command cannot select by last use. */
  public static final class NoRecord extends Exception {
    NoRecord(String message) {
      super(message);
    }
  }

  private NodeFolder() {}

  /** The record in {@code folder}; none there or a damaged one is an error saying so. */
  public static LastUseRecord lastUse(Path folder) throws NoRecord {
    Path file = folder.resolve(LastUseFile.NAME);
    LastUseFile.Read read = LastUseFile.read(file);
    if (read.damaged()) {
      throw new NoRecord(
          "the last-use record "
              + file
              + " is damaged ("
              + read.damage()
              + "); the node's agent replaces it when it next starts");
    }
    if (read.entries() == null) {
      throw new NoRecord(
          "no last-use record at "
              + file
              + ": the node's agent keeps it while it runs with a node folder (--node-folder)");
    }
    return new LastUseRecord(read.entries());
  }
}
