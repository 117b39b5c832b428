package io.kubermi.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.core.IntervalFunction;
import io.kubermi.agent.journal.RunKey;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SetAsideRunsTest {
  private static final RunKey A = new RunKey("a-n1", "uid-a", 1);
  private static final RunKey B = new RunKey("b-n1", "uid-b", 1);
  private static final long MS = 1_000_000;

  private final AtomicLong now = new AtomicLong(5_000 * MS);
  private final SetAsideRuns runs =
      new SetAsideRuns(IntervalFunction.ofExponentialBackoff(1000, 2.0), now::get);

  @Test
  void aFailedRunIsDueAgainAfterItsBackoffWhichDoublesPerFailure() {
    assertThat(runs.isDue(A)).isTrue();
    assertThat(runs.failed(A)).isEqualTo(1000);
    assertThat(runs.isDue(A)).isFalse();
    assertThat(runs.isDue(B)).as("other runs are not held up").isTrue();
    now.addAndGet(999 * MS);
    assertThat(runs.isDue(A)).isFalse();
    now.addAndGet(MS);
    assertThat(runs.isDue(A)).isTrue();
    assertThat(runs.failed(A)).isEqualTo(2000);
    assertThat(runs.failures(A)).isEqualTo(2);
  }

  @Test
  void aFinishedRunStartsOverWithoutBackoff() {
    runs.failed(A);
    runs.failed(A);
    runs.finished(A);
    assertThat(runs.isDue(A)).isTrue();
    assertThat(runs.failures(A)).isZero();
    assertThat(runs.failed(A)).isEqualTo(1000);
  }

  @Test
  void theWaitIsUntilTheFirstRunIsDueAndAtMostTheResync() {
    assertThat(runs.millisUntilNextDue(60_000)).isEqualTo(60_000);
    runs.failed(A);
    runs.failed(B);
    runs.failed(B);
    now.addAndGet(400 * MS);
    assertThat(runs.millisUntilNextDue(60_000)).isEqualTo(600);
    assertThat(runs.millisUntilNextDue(100)).isEqualTo(100);
    now.addAndGet(5_000 * MS);
    assertThat(runs.millisUntilNextDue(60_000)).isZero();
  }

  @Test
  void runsNoLongerUnfinishedAreForgotten() {
    runs.failed(A);
    runs.failed(B);
    runs.retainOnly(Set.of(B));
    assertThat(runs.isDue(A)).isTrue();
    assertThat(runs.failures(A)).isZero();
    assertThat(runs.isDue(B)).isFalse();
  }
}
