package io.kubermi.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeImageRemovalSpec;
import io.kubermi.api.NodeImageRemovalStatus;
import io.kubermi.api.RemovalPhase;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** When the pacer may not hold a status write: every child of the generation has finished. */
class ChildrenFinishedTest {
  private static NodeImageRemoval child(long generation, Long observed, RemovalPhase phase) {
    NodeImageRemoval c = new NodeImageRemoval();
    NodeImageRemovalSpec spec = new NodeImageRemovalSpec();
    spec.setRemovalGeneration(generation);
    c.setSpec(spec);
    if (phase != null) {
      NodeImageRemovalStatus s = new NodeImageRemovalStatus();
      s.setObservedGeneration(observed);
      s.setPhase(phase);
      c.setStatus(s);
    }
    return c;
  }

  @Test
  void everyChildOfTheGenerationFinishedIsAllFinished() {
    assertThat(
            ChildSet.allFinished(
                Stream.of(child(2, 2L, RemovalPhase.Succeeded), child(2, 2L, RemovalPhase.Failed)),
                2))
        .isTrue();
  }

  @Test
  void oneChildRunningOrWithoutStatusIsNot() {
    assertThat(
            ChildSet.allFinished(
                Stream.of(child(2, 2L, RemovalPhase.Succeeded), child(2, 2L, RemovalPhase.Running)),
                2))
        .isFalse();
    assertThat(
            ChildSet.allFinished(
                Stream.of(child(2, 2L, RemovalPhase.Succeeded), child(2, null, null)), 2))
        .isFalse();
  }

  @Test
  void theMatchStopsAtTheFirstUnfinishedChild() {
    AtomicInteger read = new AtomicInteger();
    Stream<NodeImageRemoval> children =
        Stream.of(
                child(2, 2L, RemovalPhase.Succeeded),
                child(2, 2L, RemovalPhase.Running),
                child(2, 2L, RemovalPhase.Succeeded))
            .peek(c -> read.incrementAndGet());
    assertThat(ChildSet.allFinished(children, 2)).isFalse();
    assertThat(read).hasValue(2);
  }

  @Test
  void aFinishedStatusOfAnEarlierGenerationDoesNotCount() {
    assertThat(ChildSet.allFinished(Stream.of(child(2, 1L, RemovalPhase.Succeeded)), 2)).isFalse();
  }

  @Test
  void childrenOfOtherGenerationsAreLeftOutButNoChildrenAtAllIsNotFinished() {
    assertThat(
            ChildSet.allFinished(
                Stream.of(child(1, 1L, RemovalPhase.Running), child(2, 2L, RemovalPhase.Succeeded)),
                2))
        .isTrue();
    assertThat(ChildSet.allFinished(Stream.empty(), 2)).isFalse();
  }
}
