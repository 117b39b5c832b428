package io.kubermi.operator.events;

/** The reasons of the Events the operator records on an ImageRemoval, with their type. */
public enum EventReason {
  /** A generation's run began: children were created for its nodes. */
  Started(false),
  /** One node failed, with the engine's words for its first problem. */
  NodeFailed(true),
  /** The run finished and every node succeeded. */
  Succeeded(false),
  /** The run finished and some node failed. */
  Failed(true),
  /** The run finished and images it names were found on no targeted node (a typo?). */
  NotFound(true),
  /** The spec was refused; no node was touched. */
  InvalidSpec(true),
  /** A schedule created its run for a scheduled time. */
  RunCreated(false),
  /** A schedule skipped a scheduled time (Forbid while a run is unfinished). */
  RunSkipped(false),
  /** A schedule missed a scheduled time by more than its starting deadline. */
  RunMissed(true),
  /** A schedule deleted its unfinished run for the next one (Replace). */
  RunReplaced(false);

  private final boolean warning;

  EventReason(boolean warning) {
    this.warning = warning;
  }

  /** The Event's type: {@code Warning} or {@code Normal}. */
  public String type() {
    return warning ? "Warning" : "Normal";
  }
}
