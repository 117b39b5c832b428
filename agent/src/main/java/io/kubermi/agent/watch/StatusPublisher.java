package io.kubermi.agent.watch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.resilience4j.core.IntervalFunction;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeImageRemovalStatus;
import io.kubermi.runtime.Watchdog;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes node statuses from its own thread, so the engine work never waits for the API server. It
 * keeps only the newest status (a later one contains every earlier result), writes at most one per
 * {@code interval} while a run goes on, and retries a failed write with exponential backoff and
 * jitter, capped: an API outage delays the status, and when the API is back the status catches up
 * in one write. The journal, not this queue, is what a restart resumes from.
 */
final class StatusPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusPublisher.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration WRITE_LIMIT = Duration.ofSeconds(60);

  private final StatusSink writer;
  private final Duration interval;
  private final Watchdog watchdog;
  private final IntervalFunction backoff =
      IntervalFunction.ofExponentialRandomBackoff(
          Duration.ofMillis(200), 2.0, 0.5, Duration.ofSeconds(15));
  private final Thread thread;
  private Pending pending;
  private long offered;
  private long written;
  private int waiters;
  private volatile boolean open = true;

  /** Where a status goes: the API server in the agent. */
  interface StatusSink {
    void write(NodeImageRemoval o, NodeImageRemovalStatus status);
  }

  private record Pending(NodeImageRemoval object, NodeImageRemovalStatus status, long seq) {}

  StatusPublisher(StatusSink writer, Duration interval, Watchdog watchdog, String node) {
    this.writer = writer;
    this.interval = interval;
    this.watchdog = watchdog;
    this.thread = new Thread(this::loop, "kube-rmi-status-" + node);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Queues the status (a copy: the caller goes on changing its own) to be written soon. */
  synchronized long offer(NodeImageRemoval o, NodeImageRemovalStatus status) {
    pending = new Pending(o, JSON.convertValue(status, NodeImageRemovalStatus.class), ++offered);
    notifyAll();
    return offered;
  }

  /** Queues the status and waits until it, or a later one, is written. */
  void write(NodeImageRemoval o, NodeImageRemovalStatus status) throws InterruptedException {
    synchronized (this) {
      waiters++;
      try {
        long mine = offer(o, status);
        while (written < mine) {
          if (!open) throw new InterruptedException("the status publisher is closed");
          wait();
        }
      } finally {
        waiters--;
      }
    }
  }

  private void loop() {
    int failures = 0;
    long lastWrite = 0;
    while (open) {
      try {
        Pending next = nextDue(lastWrite);
        if (next == null) return;
        try (Watchdog.Section s =
            watchdog.enter(
                "the status write of " + next.object().getMetadata().getName(), WRITE_LIMIT)) {
          writer.write(next.object(), next.status());
        }
        lastWrite = System.currentTimeMillis();
        failures = 0;
        synchronized (this) {
          written = Math.max(written, next.seq());
          notifyAll();
        }
      } catch (InterruptedException e) {
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          // The object is gone: there is no one left to report to.
          LOG.warn("status not written, the object is gone ({})", e.getMessage());
          markWritten();
          continue;
        }
        // Anything else is retried, however long: a status given up on would be a run whose
        // journal is compacted away while its status still says Running, and a successor would
        // ask the engine again (an I/O error without any HTTP status is code -1, not 5xx).
        long wait = backoff.apply(++failures);
        LOG.warn("status write failed ({}); retrying in {} ms", e.getMessage(), wait);
        sleepQuietly(wait);
      } catch (RuntimeException e) {
        // The client passes some failures through unwrapped. Retried as well: if this thread
        // ended, every run would wait on its status for good while the agent looked healthy.
        long wait = backoff.apply(++failures);
        LOG.warn("status write failed; retrying in {} ms", wait, e);
        sleepQuietly(wait);
      }
    }
  }

  private synchronized void markWritten() {
    written = Math.max(written, pending == null ? written : pending.seq());
    notifyAll();
  }

  /**
   * The newest unwritten status once it is due: at once when a run's end waits for it, else one
   * interval after the last write. Null when closed.
   */
  private synchronized Pending nextDue(long lastWrite) throws InterruptedException {
    while (open && (pending == null || pending.seq() <= written)) wait();
    long due;
    while (open
        && waiters == 0
        && (due = lastWrite + interval.toMillis() - System.currentTimeMillis()) > 0) {
      wait(due);
    }
    return open ? pending : null;
  }

  static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    open = false;
    thread.interrupt();
    synchronized (this) {
      notifyAll();
    }
  }
}
