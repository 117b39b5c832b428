package io.kubermi.agent.journal;

import io.kubermi.api.NodeImageRemoval;

/**
 * One run of one NodeImageRemoval: its name, its UID (a child deleted and made again under the same
 * name is another run) and the generation of the removal it carries out.
 */
public record RunKey(String name, String uid, long generation) {
  public static RunKey of(NodeImageRemoval o) {
    return new RunKey(
        o.getMetadata().getName(), o.getMetadata().getUid(), o.getSpec().getRemovalGeneration());
  }

  String id() {
    return name + "/" + uid + "/" + generation;
  }
}
