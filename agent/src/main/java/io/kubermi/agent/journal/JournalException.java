package io.kubermi.agent.journal;

/** The journal could not be written durably; the agent must not ask the engine to remove then. */
public final class JournalException extends RuntimeException {
  public JournalException(String message, Throwable cause) {
    super(message, cause);
  }
}
