package io.kubermi.agent.lastuse;

import io.github.resilience4j.core.IntervalFunction;
import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.EngineException;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredImage;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node's {@link LastUseRecord} current: it reads the engine's containers and images when
 * the engine reports container activity ({@link Engine#followContainerActivity}: Docker's container
 * events, containerd's task, container and snapshot events; at most one reading per {@link
 * #MIN_GAP}), at least every {@link #PERIOD} besides (an event missed while the engine was away),
 * and right before a prune selects. The record is written to the node folder after each reading
 * that changed it, so what an agent killed at any moment knew is there for the next one; a damaged
 * file is reported and replaced by a record started afresh from the engine, in which every image
 * counts as first seen then.
 */
public final class LastUseTracker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LastUseTracker.class);

  /** The longest between two readings while the engine reports nothing. */
  public static final Duration PERIOD = Duration.ofMinutes(1);

  /**
   * The least time between two readings: a burst of container events (a node starting many pods)
   * costs one reading a second, not one per event.
   */
  static final Duration MIN_GAP = Duration.ofSeconds(1);

  private static final IntervalFunction RETRY =
      IntervalFunction.ofExponentialBackoff(Duration.ofSeconds(1), 2.0, PERIOD);

  private final Engine engine;
  private final LastUseRecord record;
  private final Optional<Path> file;
  private final Clock clock;
  private final String damage;
  private final Object wake = new Object();
  private final AtomicInteger readings = new AtomicInteger();
  private boolean pending;
  private volatile ImageStoreModel lastStore;
  private Thread thread;
  private volatile boolean closed;

  private LastUseTracker(
      Engine engine, LastUseRecord record, Optional<Path> file, Clock clock, String damage) {
    this.engine = engine;
    this.record = record;
    this.file = file;
    this.clock = clock;
    this.damage = damage;
  }

  /** A record kept in memory only: an agent without a node folder starts afresh each time. */
  public static LastUseTracker inMemory(Engine engine, Clock clock) {
    return new LastUseTracker(engine, LastUseRecord.empty(), Optional.empty(), clock, null);
  }

  /**
   * A record read elsewhere (a node agent's, by a command on the node), taken on in memory only:
   * the agent owns the file.
   */
  public static LastUseTracker of(Engine engine, LastUseRecord record, Clock clock) {
    return new LastUseTracker(engine, record, Optional.empty(), clock, null);
  }

  /**
   * The record in {@code nodeFolder}: as written there, or afresh when there is none or it is
   * damaged (logged, and said by {@link #damage()}).
   */
  public static LastUseTracker open(Engine engine, Path nodeFolder, Clock clock) {
    Path file = nodeFolder.resolve(LastUseFile.NAME);
    LastUseFile.Read read = LastUseFile.read(file);
    if (read.damaged()) {
      LOG.warn(
          "the last-use record {} is damaged ({}): started afresh from the engine; every image"
              + " counts as first seen now",
          file,
          read.damage());
    }
    LastUseRecord record =
        read.entries() == null ? LastUseRecord.empty() : new LastUseRecord(read.entries());
    return new LastUseTracker(engine, record, Optional.of(file), clock, read.damage());
  }

  /** Why the record found on disk was not used, if it was not. */
  public Optional<String> damage() {
    return Optional.ofNullable(damage);
  }

  public LastUseRecord record() {
    return record;
  }

  /**
   * Reads the engine now and takes it in, writing the record when it changed; the store read, for a
   * caller that selects from it. Throws {@link EngineException} when the engine does not answer.
   */
  public synchronized ImageStoreModel refresh() {
    ImageStoreModel store = engine.listing();
    Instant now = clock.instant();
    boolean changed = record.observe(store, now);
    if ((changed || readings.get() == 0) && file.isPresent()) {
      try {
        LastUseFile.write(file.get(), record.entries());
      } catch (UncheckedIOException e) {
        // The record in memory stays right; the next change tries the disk again.
        LOG.warn("{}", e.getMessage());
      }
    }
    readings.incrementAndGet();
    lastStore = store;
    return store;
  }

  /**
   * The summed sizes of the images no container uses and none has for at least {@code unusedFor},
   * as of the last reading (shared layers count in each image that has them, as docker images shows
   * sizes); 0 before the first.
   */
  public long unusedBytes(Duration unusedFor) {
    ImageStoreModel store = lastStore;
    if (store == null) return 0;
    Set<String> withContainers = new HashSet<>();
    store.containers().forEach(c -> withContainers.add(c.imageId()));
    Instant now = clock.instant();
    long bytes = 0;
    for (StoredImage image : store.images()) {
      if (withContainers.contains(image.id())) continue;
      if (!record.unusedSince(image, now).plus(unusedFor).isAfter(now)) bytes += image.size();
    }
    return bytes;
  }

  /**
   * Reads at each report of container activity and every {@link #PERIOD}, on a thread of its own.
   */
  public synchronized LastUseTracker start() {
    if (thread != null) return this;
    engine.followContainerActivity(this::wake);
    thread = new Thread(this::follow, "kube-rmi-last-use");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  private void wake() {
    synchronized (wake) {
      pending = true;
      wake.notifyAll();
    }
  }

  private void follow() {
    int failures = 0;
    while (!closed) {
      try {
        refresh();
        failures = 0;
      } catch (EngineException e) {
        failures++;
        LOG.info("last-use reading failed: {}", e.getMessage());
      } catch (RuntimeException e) {
        // A reading that fails in an unforeseen way must not end the following for good.
        failures++;
        LOG.warn("last-use reading failed", e);
      }
      // After a failed reading (the engine restarting) the next comes soon, not a period later:
      // the event that woke this one is not repeated.
      Duration wait = failures == 0 ? PERIOD : Duration.ofMillis(RETRY.apply(failures));
      try {
        Thread.sleep(MIN_GAP.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      synchronized (wake) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!pending && !closed) {
          long left = deadline - System.nanoTime();
          if (left <= 0) break;
          try {
            wake.wait(Math.max(1, left / 1_000_000));
          } catch (InterruptedException e) {
            return;
          }
        }
        pending = false;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (wake) {
      wake.notifyAll();
    }
    Thread t = thread;
    if (t != null) t.interrupt();
  }
}
