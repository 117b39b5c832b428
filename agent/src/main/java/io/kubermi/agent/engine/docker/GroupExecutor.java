package io.kubermi.agent.engine.docker;

import io.kubermi.agent.engine.EngineException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Runs independent groups of argument indexes on a bounded pool, each group in order: the
 * concurrency of a removal, with a pool that lives only as long as the removal.
 */
final class GroupExecutor implements AutoCloseable {
  private final ExecutorService pool;

  GroupExecutor(int threads) {
    this.pool = Executors.newFixedThreadPool(threads);
  }

  ExecutorService pool() {
    return pool;
  }

  /** Calls {@code task} for every index, groups in parallel, and returns when all are done. */
  void run(List<List<Integer>> groups, IntConsumer task) {
    List<Future<?>> running = new ArrayList<>();
    for (List<Integer> group : groups) {
      running.add(pool.submit(() -> group.forEach(task::accept)));
    }
    try {
      for (Future<?> f : running) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted while removing images", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new EngineException(e.getCause().getMessage(), e.getCause());
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
