package io.kubermi.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.EngineInfo;
import io.kubermi.agent.engine.RemovalOptions;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.journal.RemovalJournal;
import io.kubermi.agent.journal.RunKey;
import io.kubermi.api.ImageResult;
import io.kubermi.api.Outcome;
import io.kubermi.runtime.Watchdog;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The journal around an engine that hands out its plan before changing anything (containerd's
 * path): when a failure may be repeated, when it must be settled from the engine's state instead.
 * The engine is scripted; the engines themselves are exercised in the fault loop.
 */
class JournaledRemovalTest {
  private static final RunKey RUN = new RunKey("r-n1", "uid-1", 1);
  private static final List<String> REFS = List.of("a:1");
  private static final ImageResult PLANNED =
      new ImageResult("a:1", Outcome.Removed, List.of("a:1"), List.of("sha256:aaa"), null);

  private final RemovalJournal journal = RemovalJournal.inMemory("n1");
  private final ScriptedEngine engine = new ScriptedEngine();
  private final JournaledRemoval removal =
      new JournaledRemoval(engine, journal, new Watchdog(Clock.systemUTC()), Duration.ofSeconds(5));

  @Test
  void aFailureBeforeThePlanIsHandedOutIsRepeated() {
    engine.script.add(
        plan -> {
          throw new EngineException("connection refused");
        });
    engine.script.add(
        plan -> {
          plan.accept(List.of(PLANNED));
          return List.of(PLANNED);
        });

    List<ImageResult> answers = removal.remove(RUN, 0, REFS, RemovalOptions.defaults());

    assertThat(answers).containsExactly(PLANNED);
    assertThat(engine.removals).isEqualTo(2);
    assertThat(journal.run(RUN).intent(0, "a:1")).isEqualTo(PLANNED);
    assertThat(journal.run(RUN).answer(0, "a:1")).isEqualTo(PLANNED);
  }

  @Test
  void aFailureAfterThePlanIsSettledFromTheEngineNotRepeated() {
    engineFailsAfterPlanningAndThenHoldsNoA1();

    List<ImageResult> answers = removal.remove(RUN, 0, REFS, RemovalOptions.defaults());

    assertThat(engine.removals).as("the removal is not asked for again").isEqualTo(1);
    assertThat(answers)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getOutcome()).isEqualTo(Outcome.Removed);
              assertThat(r.getUntagged()).containsExactly("a:1");
              assertThat(r.getDeleted()).containsExactly("sha256:aaa");
              assertThat(r.getMessage()).isEqualTo(JournaledRemoval.RECOVERED);
            });
    assertThat(journal.run(RUN).answer(0, "a:1")).isEqualTo(answers.get(0));
  }

  @Test
  void aRecoveredResultClaimsNoImageTheEngineStillHolds() {
    engineFailsAfterPlanningAndThenHoldsNoA1();
    engine.held = Set.of("sha256:aaa");

    ImageResult answer = removal.remove(RUN, 0, REFS, RemovalOptions.defaults()).get(0);

    assertThat(answer.getUntagged()).containsExactly("a:1");
    assertThat(answer.getDeleted()).isEmpty();
  }

  @Test
  void anEngineThatRemovesWithoutHandingOutItsPlanIsRefused() {
    engine.script.add(plan -> List.of(PLANNED));

    assertThatThrownBy(() -> removal.remove(RUN, 0, REFS, RemovalOptions.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("without handing out its plan");
  }

  private void engineFailsAfterPlanningAndThenHoldsNoA1() {
    engine.script.add(
        plan -> {
          plan.accept(List.of(PLANNED));
          throw new EngineException("connection reset");
        });
    engine.dryRunAnswer = new ImageResult("a:1", Outcome.NotFound, List.of(), List.of(), "gone");
  }

  private interface Step {
    List<ImageResult> run(Consumer<List<ImageResult>> beforeChanging);
  }

  /** Plans its removals; each removal runs the next scripted step. */
  private static final class ScriptedEngine implements Engine {
    final Deque<Step> script = new ArrayDeque<>();
    int removals;
    ImageResult dryRunAnswer;
    Set<String> held = Set.of();

    @Override
    public boolean plansRemovals(RemovalOptions options) {
      return true;
    }

    @Override
    public List<ImageResult> remove(
        List<String> references,
        RemovalOptions options,
        Consumer<List<ImageResult>> beforeChanging) {
      removals++;
      return script.removeFirst().run(beforeChanging);
    }

    @Override
    public List<ImageResult> remove(List<String> references, RemovalOptions options) {
      if (!options.dryRun()) throw new AssertionError("only dry runs are expected here");
      return List.of(dryRunAnswer);
    }

    @Override
    public Set<String> present(Collection<String> ids) {
      return held;
    }

    @Override
    public EngineInfo info() {
      return new EngineInfo("scripted", "1", "v1");
    }

    @Override
    public ImageStoreModel snapshot() {
      throw new AssertionError("a planning engine is not read for a prediction");
    }

    @Override
    public long reclaimedBytes() {
      return 0;
    }

    @Override
    public boolean isUp() {
      return true;
    }

    @Override
    public void close() {}
  }
}
