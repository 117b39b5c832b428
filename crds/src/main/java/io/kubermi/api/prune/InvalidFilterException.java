package io.kubermi.api.prune;

/** A prune filter docker refuses, with the daemon's message. */
public final class InvalidFilterException extends Exception {
  public InvalidFilterException(String message) {
    super(message);
  }
}
