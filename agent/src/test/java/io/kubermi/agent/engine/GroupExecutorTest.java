package io.kubermi.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class GroupExecutorTest {
  @Test
  void readAllKeepsEveryValueInKeyOrderAndLeavesOutNulls() {
    Set<String> readers = ConcurrentHashMap.newKeySet();
    Map<Integer, String> read =
        GroupExecutor.readAll(
            List.of(5, 1, 4, 2, 3),
            3,
            k -> {
              readers.add(Thread.currentThread().getName());
              return k == 4 ? null : "v" + k;
            });
    assertThat(read)
        .containsExactly(
            Map.entry(5, "v5"), Map.entry(1, "v1"), Map.entry(2, "v2"), Map.entry(3, "v3"));
    assertThat(readers).doesNotContain(Thread.currentThread().getName());
  }

  @Test
  void readAllOfOneKeyReadsOnTheCallersThread() {
    String caller = Thread.currentThread().getName();
    assertThat(GroupExecutor.readAll(List.of(1), 8, k -> Thread.currentThread().getName()))
        .containsExactly(Map.entry(1, caller));
  }

  @Test
  void readAllThrowsTheEnginesFailureAfterTheOtherReads() {
    Set<Integer> done = ConcurrentHashMap.newKeySet();
    assertThatThrownBy(
            () ->
                GroupExecutor.readAll(
                    List.of(1, 2, 3, 4),
                    2,
                    k -> {
                      if (k == 2) throw new EngineException("blob 2 unreadable");
                      done.add(k);
                      return k;
                    }))
        .isInstanceOf(EngineException.class)
        .hasMessage("blob 2 unreadable");
    assertThat(done).containsExactlyInAnyOrder(1, 3, 4);
  }
}
