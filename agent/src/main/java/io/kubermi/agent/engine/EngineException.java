package io.kubermi.agent.engine;

/** The engine could not be reached or answered something unusable. */
public class EngineException extends RuntimeException {
  public EngineException(String message, Throwable cause) {
    super(message, cause);
  }

  public EngineException(String message) {
    super(message);
  }
}
