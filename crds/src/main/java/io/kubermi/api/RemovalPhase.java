package io.kubermi.api;

/** Lifecycle of an ImageRemoval and of each node's part in it. */
public enum RemovalPhase {
  Pending,
  Running,
  Succeeded,
  Failed;

  public boolean isFinished() {
    return this == Succeeded || this == Failed;
  }
}
