package io.kubermi.agent.engine;

/**
 * A change asked of an engine through the read-only view a dry run is given. It is a programming
 * error, not an engine failure, so it is not an {@link EngineException}: nothing catches it as one
 * image's error, and a path that forgot the dry run fails loudly instead of deleting.
 */
public final class DryRunViolation extends IllegalStateException {
  public DryRunViolation(String change) {
    super("a dry run must not change the engine, but it asked to " + change);
  }
}
