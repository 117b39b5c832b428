package io.kubermi.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubermi.api.ImageResult;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeImageRemovalStatus;
import io.kubermi.api.Outcome;
import io.kubermi.runtime.Watchdog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class StatusPublisherTest {
  private final List<String> written = new ArrayList<>();

  private static NodeImageRemoval object() {
    NodeImageRemoval o = new NodeImageRemoval();
    o.getMetadata().setName("r-n1");
    return o;
  }

  private static NodeImageRemovalStatus status(String message) {
    NodeImageRemovalStatus s = new NodeImageRemovalStatus();
    s.setMessage(message);
    return s;
  }

  /** A sink whose first calls fail with the given failures, then records what it is given. */
  private StatusPublisher.StatusSink failingFirst(RuntimeException... failures) {
    AtomicInteger calls = new AtomicInteger();
    return (o, s) -> {
      int call = calls.getAndIncrement();
      if (call < failures.length) throw failures[call];
      synchronized (written) {
        written.add(s.getMessage());
      }
    };
  }

  @Test
  @Timeout(20) // without the retry, the status thread ends and the write waits for good
  void aFailureTheClientDoesNotWrapIsRetriedLikeAnApiError() throws Exception {
    try (StatusPublisher publisher =
        new StatusPublisher(
            failingFirst(
                new UncheckedIOException(new IOException("selector closed")),
                new KubernetesClientException("connection refused")),
            Duration.ZERO,
            new Watchdog(Clock.systemUTC()),
            "n1")) {
      publisher.write(object(), status("done"));
    }
    assertThat(written).containsExactly("done");
  }

  @Test
  @Timeout(20) // without the bound, the write waits on the first call for good
  void aWriteWithNoAnswerIsAbandonedAndRetried() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    StatusPublisher.StatusSink hangsFirst =
        (o, s) -> {
          if (calls.getAndIncrement() == 0) {
            // Like a client future nobody completes: deaf to the interrupt that abandons it.
            while (release.getCount() > 0) {
              try {
                release.await();
              } catch (InterruptedException ignored) {
                // keep hanging
              }
            }
            return;
          }
          synchronized (written) {
            written.add(s.getMessage());
          }
        };
    try (StatusPublisher publisher =
        new StatusPublisher(
            hangsFirst,
            Duration.ZERO,
            Duration.ofMillis(300),
            new Watchdog(Clock.systemUTC()),
            "n1")) {
      publisher.write(object(), status("done"));
    } finally {
      release.countDown();
    }
    assertThat(calls).hasValue(2);
    assertThat(written).containsExactly("done");
  }

  @Test
  void aStatusWhoseObjectIsGoneCountsAsWritten() throws Exception {
    try (StatusPublisher publisher =
        new StatusPublisher(
            failingFirst(new KubernetesClientException("not found", 404, null)),
            Duration.ZERO,
            new Watchdog(Clock.systemUTC()),
            "n1")) {
      publisher.write(object(), status("gone"));
      publisher.write(object(), status("next"));
    }
    assertThat(written).containsExactly("next");
  }

  @Test
  @Timeout(20) // retried as an outage, the refused write would hold the run's end for good
  void aStatusRefusedForItsContentIsWrittenOnceWithoutResultsThenGivenUp() throws Exception {
    List<NodeImageRemovalStatus> accepted = new ArrayList<>();
    AtomicInteger refusals = new AtomicInteger();
    StatusPublisher.StatusSink refusesResults =
        (o, s) -> {
          if (!s.getResults().isEmpty() || "refused whatever".equals(s.getMessage())) {
            refusals.incrementAndGet();
            throw new KubernetesClientException("the object is too big", 422, null);
          }
          synchronized (accepted) {
            accepted.add(s);
          }
        };
    NodeImageRemovalStatus big = status("2 image(s) failed with an engine error");
    big.setResults(
        new ArrayList<>(
            List.of(
                new ImageResult("a", Outcome.Removed, List.of("a:latest"), List.of(), null),
                new ImageResult("b", Outcome.Error, List.of(), List.of(), "boom"))));
    big.setResultsOmitted(3);
    try (StatusPublisher publisher =
        new StatusPublisher(refusesResults, Duration.ZERO, new Watchdog(Clock.systemUTC()), "n1")) {
      publisher.write(object(), big);
      publisher.write(object(), status("refused whatever"));
    }
    assertThat(accepted).hasSize(1);
    NodeImageRemovalStatus written = accepted.get(0);
    assertThat(written.getResults()).isEmpty();
    assertThat(written.getResultsOmitted()).isEqualTo(5);
    assertThat(written.getMessage())
        .isEqualTo(
            "2 image(s) failed with an engine error; results not listed: the API server refused"
                + " the status (HTTP 422)");
    assertThat(refusals).as("the big one once, the hopeless one once").hasValue(2);
  }
}
