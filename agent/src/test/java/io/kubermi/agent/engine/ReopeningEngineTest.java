package io.kubermi.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.api.ImageResult;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReopeningEngineTest {
  /** An engine that answers, and counts whether it was asked to follow arrivals. */
  private static final class Answering implements Engine {
    int following;

    @Override
    public EngineInfo info() {
      return new EngineInfo("fake", "1", "v1");
    }

    @Override
    public void followImageArrivals() {
      following++;
    }

    @Override
    public List<ImageResult> remove(List<String> references, RemovalOptions options) {
      return List.of();
    }

    @Override
    public ImageStoreModel snapshot() {
      return new ImageStoreModel();
    }

    @Override
    public Set<String> present(Collection<String> ids) {
      return Set.of();
    }

    @Override
    public long reclaimedBytes() {
      return 7;
    }

    @Override
    public boolean isUp() {
      return true;
    }

    @Override
    public void close() {}
  }

  @Test
  void whileNoEngineOpensEachUseFailsWithTheReasonThenTheEngineIsUsed() {
    AtomicInteger attempts = new AtomicInteger();
    Answering answering = new Answering();
    ReopeningEngine engine =
        new ReopeningEngine(
            () -> {
              if (attempts.incrementAndGet() < 3) {
                throw new EngineException("no containerd answers on this node; tried /c.sock");
              }
              return answering;
            });
    engine.followImageArrivals();

    assertThat(engine.isUp()).isFalse();
    assertThat(engine.problem()).contains("no containerd answers on this node; tried /c.sock");
    assertThatThrownBy(engine::info)
        .isInstanceOf(EngineException.class)
        .hasMessage("no containerd answers on this node; tried /c.sock");
    assertThat(engine.reclaimedBytes()).isZero();

    assertThat(engine.info().display()).isEqualTo("fake 1");
    assertThat(engine.problem()).isEmpty();
    assertThat(engine.isUp()).isTrue();
    assertThat(engine.reclaimedBytes()).isEqualTo(7);
    assertThat(answering.following).as("asked to follow arrivals once opened").isEqualTo(1);
    assertThat(attempts).hasValue(3);
  }
}
