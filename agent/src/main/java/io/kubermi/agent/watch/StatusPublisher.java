package io.kubermi.agent.watch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.resilience4j.core.IntervalFunction;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeImageRemovalStatus;
import io.kubermi.runtime.Watchdog;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes node statuses from its own thread, so the engine work never waits for the API server. It
 * keeps only the newest status (a later one contains every earlier result), writes at most one per
 * {@code interval} while a run goes on, and retries a failed write with exponential backoff and
 * jitter, capped: an API outage delays the status, and when the API is back the status catches up
 * in one write. The journal, not this queue, is what a restart resumes from.
 *
 * <p>Each write is also bounded here, not only by the client's request timeout: fabric8 can leave a
 * request's future unanswered for good after its connection breaks (seen under an API cut), and a
 * status thread parked there would hold every run's end. A write with no answer after {@link
 * #CALL_LIMIT} is abandoned (its thread interrupted) and retried like a failed one. The limit is
 * what a lost answer adds to a run's end after an outage (a write sent during a 15 s API cut was
 * abandoned 31 s after the API's return with the 45 s limit this had before), so it lies below the
 * client's 30 s request timeout: every write carries the resourceVersion it was sent from, so an
 * abandoned write that still reaches the server after a newer one is refused and changes nothing.
 */
final class StatusPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusPublisher.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration WRITE_LIMIT = Duration.ofSeconds(60);
  static final Duration CALL_LIMIT = Duration.ofSeconds(20);

  private final StatusSink writer;
  private final Duration interval;
  private final Duration callLimit;
  private final Watchdog watchdog;
  private final ExecutorService calls;
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
    this(writer, interval, CALL_LIMIT, watchdog, node);
  }

  StatusPublisher(
      StatusSink writer, Duration interval, Duration callLimit, Watchdog watchdog, String node) {
    this.writer = writer;
    this.interval = interval;
    this.callLimit = callLimit;
    this.watchdog = watchdog;
    // Cached, not single: an abandoned call whose thread ignores its interrupt must not hold the
    // next write.
    this.calls =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "kube-rmi-status-call-" + node);
              t.setDaemon(true);
              return t;
            });
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
          writeWithinLimit(next);
        }
        lastWrite = System.currentTimeMillis();
        failures = 0;
        synchronized (this) {
          written = Math.max(written, next.seq());
          notifyAll();
        }
      } catch (InterruptedException e) {
        return;
      } catch (NoAnswer e) {
        failures = retryLater(failures, e.getMessage(), null);
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          // The object is gone: there is no one left to report to.
          LOG.warn("status not written, the object is gone ({})", e.getMessage());
          markWritten();
          continue;
        }
        if (e.getCode() == 422 || e.getCode() == 413 || e.getCode() == 400) {
          // Refused for what it says, not for when: the same status would be refused forever.
          refused(e);
          continue;
        }
        // Anything else is retried, however long: a status given up on would be a run whose
        // journal is compacted away while its status still says Running, and a successor would
        // ask the engine again (an I/O error without any HTTP status is code -1, not 5xx). A 409
        // was refused on the version it was sent from (see NodeStatusWriter): the retry goes on
        // the version the refusal taught, with the newest status.
        failures =
            retryLater(
                failures,
                e.getCode() == 409
                    ? "status write refused: the object moved on (409)"
                    : "status write failed (" + e.getMessage() + ")",
                null);
      } catch (RuntimeException e) {
        // The client passes some failures through unwrapped. Retried as well: if this thread
        // ended, every run would wait on its status for good while the agent looked healthy.
        failures = retryLater(failures, "status write failed", e);
      }
    }
  }

  /**
   * A status the API server refuses for its content (too big, or invalid by the schema) is written
   * once more without its results, which the agent's log still has; refused again, it is given up
   * so the run still ends, with an error in the log.
   */
  private void refused(KubernetesClientException e) {
    String why = "the API server refused the status (HTTP " + e.getCode() + ")";
    synchronized (this) {
      if (pending != null && !pending.status().getResults().isEmpty()) {
        LOG.warn("{}: {}; writing it without its results", why, e.getMessage());
        pending =
            new Pending(
                pending.object(),
                ResultsBound.withoutResults(pending.status(), why),
                pending.seq());
        return;
      }
    }
    LOG.error("{} even without results: {}; given up", why, e.getMessage());
    markWritten();
  }

  /** Logs why the write failed, waits out the backoff, and returns the failures counted so far. */
  private int retryLater(int failures, String why, Throwable cause) {
    long wait = backoff.apply(++failures);
    LOG.warn("{}; retrying in {} ms", why, wait, cause);
    sleepQuietly(wait);
    return failures;
  }

  private void writeWithinLimit(Pending next) throws InterruptedException {
    Future<?> call = calls.submit(() -> writer.write(next.object(), next.status()));
    try {
      call.get(callLimit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new NoAnswer(next.object().getMetadata().getName(), callLimit);
    } catch (InterruptedException e) {
      call.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException("status write failed", e.getCause());
    }
  }

  /** A write abandoned because no answer, not even a failure, came within the limit. */
  static final class NoAnswer extends RuntimeException {
    NoAnswer(String object, Duration limit) {
      super(
          "the status write of "
              + object
              + " had no answer within "
              + (limit.toMillis() % 1000 == 0 ? limit.toSeconds() + " s" : limit.toMillis() + " ms")
              + "; abandoned",
          null,
          false,
          false);
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
    calls.shutdownNow();
    synchronized (this) {
      notifyAll();
    }
  }
}
