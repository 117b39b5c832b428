package io.kubermi.api;

/** What a schedule does when a run is due while the previous one is unfinished. */
public enum ConcurrencyPolicy {
  /** The due run is skipped. */
  Forbid,
  /** The unfinished run is deleted and the due one starts. */
  Replace
}
