package io.kubermi.agent.engine.rules;

/** One line of docker rmi's output: {@code Untagged: X} or {@code Deleted: Y}. */
public record RmiItem(Kind kind, String value) {
  public enum Kind {
    UNTAGGED,
    DELETED
  }

  public static RmiItem untagged(String ref) {
    return new RmiItem(Kind.UNTAGGED, ref);
  }

  public static RmiItem deleted(String id) {
    return new RmiItem(Kind.DELETED, id);
  }

  /** Exactly as the docker CLI prints it. */
  public String line() {
    return (kind == Kind.UNTAGGED ? "Untagged: " : "Deleted: ") + value;
  }
}
