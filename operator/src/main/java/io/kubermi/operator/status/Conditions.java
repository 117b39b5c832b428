package io.kubermi.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.RemovalPhase;
import java.util.ArrayList;
import java.util.List;

/**
 * kstatus conditions from the phase: Ready (True when Succeeded), Reconciling (True while Pending
 * or Running), Stalled (True when Failed). A condition's lastTransitionTime changes only when its
 * status does.
 */
public final class Conditions {
  private Conditions() {}

  public static List<Condition> of(
      RemovalPhase phase,
      String reason,
      String message,
      long generation,
      List<Condition> previous,
      String now) {
    List<Condition> out = new ArrayList<>();
    boolean ready = phase == RemovalPhase.Succeeded;
    boolean reconciling = phase == RemovalPhase.Pending || phase == RemovalPhase.Running;
    boolean stalled = phase == RemovalPhase.Failed;
    out.add(
        condition(
            KubeRmi.CONDITION_READY,
            ready,
            ready ? "Succeeded" : reason,
            message,
            generation,
            previous,
            now));
    out.add(
        condition(
            KubeRmi.CONDITION_RECONCILING,
            reconciling,
            reconciling ? phase.name() : "Finished",
            reconciling ? message : "the run of generation " + generation + " finished",
            generation,
            previous,
            now));
    out.add(
        condition(
            KubeRmi.CONDITION_STALLED,
            stalled,
            stalled ? reason : "NotFailed",
            stalled ? message : "no node failed",
            generation,
            previous,
            now));
    return out;
  }

  /**
   * One condition; its lastTransitionTime is the previous one's while the status stays, else now.
   */
  public static Condition condition(
      String type,
      boolean status,
      String reason,
      String message,
      long generation,
      List<Condition> previous,
      String now) {
    String value = status ? "True" : "False";
    String since =
        previous == null
            ? now
            : previous.stream()
                .filter(c -> c.getType().equals(type) && c.getStatus().equals(value))
                .map(Condition::getLastTransitionTime)
                .findFirst()
                .orElse(now);
    return new ConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build();
  }
}
