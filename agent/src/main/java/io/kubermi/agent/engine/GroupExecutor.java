package io.kubermi.agent.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Runs independent groups of argument indexes on a bounded pool, each group in order: the
 * concurrency of a removal, with a pool that lives only as long as the removal. Engine calls are
 * never interrupted: an interrupted HTTP or gRPC call leaves unknown what the engine did, and an
 * interrupted HTTP client can lose a pooled connection for good.
 */
public final class GroupExecutor implements AutoCloseable {
  /** How long closing waits for calls still running (each has its own timeout too). */
  static final Duration DRAIN = Duration.ofMinutes(1);

  private final ExecutorService pool;

  public GroupExecutor(int threads) {
    this.pool = Executors.newFixedThreadPool(threads);
  }

  public ExecutorService pool() {
    return pool;
  }

  /**
   * Calls {@code task} for every index, groups in parallel, and returns when all are done; a group
   * stops at its first failure, the others run to their end, and then the first failure is thrown.
   */
  public void run(List<List<Integer>> groups, IntConsumer task) {
    List<Future<?>> running = new ArrayList<>();
    for (List<Integer> group : groups) {
      running.add(pool.submit(() -> group.forEach(task::accept)));
    }
    RuntimeException failure = null;
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EngineException("interrupted while removing images", e);
      } catch (ExecutionException e) {
        if (failure == null) failure = unwrap(e);
      }
    }
    if (failure != null) throw failure;
  }

  /**
   * {@code read} of every key, up to {@code threads} at a time (on the caller's thread when there
   * is only one key): reads that are each one round trip to the engine. Keys read as null are left
   * out; the first failed read is thrown once the others have ended.
   */
  public static <K, V> Map<K, V> readAll(Collection<K> keys, int threads, Function<K, V> read) {
    Map<K, V> values = new LinkedHashMap<>();
    if (keys.size() < 2) {
      for (K key : keys) {
        V value = read.apply(key);
        if (value != null) values.put(key, value);
      }
      return values;
    }
    try (GroupExecutor readers = new GroupExecutor(Math.min(threads, keys.size()))) {
      Map<K, Future<V>> reads = new LinkedHashMap<>();
      for (K key : keys) reads.put(key, readers.pool.submit(() -> read.apply(key)));
      RuntimeException failure = null;
      for (Map.Entry<K, Future<V>> e : reads.entrySet()) {
        try {
          V value = e.getValue().get();
          if (value != null) values.put(e.getKey(), value);
        } catch (ExecutionException failed) {
          if (failure == null) failure = unwrap(failed);
        }
      }
      if (failure != null) throw failure;
      return values;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted while reading from the engine", e);
    }
  }

  /** The cause of a task's failure as the engine's caller sees it. */
  public static RuntimeException unwrap(ExecutionException e) {
    return e.getCause() instanceof RuntimeException r
        ? r
        : new EngineException(e.getCause().getMessage(), e.getCause());
  }

  /** Lets calls still running (a read whose sibling failed) end by themselves, then stops. */
  @Override
  public void close() {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(DRAIN.toMillis(), TimeUnit.MILLISECONDS)) pool.shutdownNow();
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
