package io.kubermi.bench;

import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalStatus;
import io.kubermi.api.RemovalPhase;
import io.kubermi.cluster.TestCluster;

/**
 * Watches one ImageRemoval and notes when its first status and its end arrived: a watch, not a
 * poll, so the benchmark adds no reads of a large object to the API server it measures.
 */
final class RunWatch implements AutoCloseable {
  private final TestCluster cluster;
  private final String name;
  private Watch watch;
  private volatile long start;
  private volatile long firstStatus = -1;
  private volatile String firstPhase;
  private volatile long finished = -1;
  private volatile String failure;

  RunWatch(TestCluster cluster, String name) {
    this.cluster = cluster;
    this.name = name;
  }

  void start(long startNanos) {
    start = startNanos;
    watch =
        cluster
            .client()
            .resources(ImageRemoval.class)
            .withName(name)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, ImageRemoval r) {
                    ImageRemovalStatus s = r.getStatus();
                    if (s == null || s.getPhase() == null) return;
                    long now = System.nanoTime();
                    if (firstStatus < 0) {
                      firstPhase = s.getPhase().toString();
                      firstStatus = now;
                    }
                    if (s.getPhase().isFinished() && finished < 0) {
                      if (s.getPhase() != RemovalPhase.Succeeded) {
                        failure = s.getPhase() + ": " + s.getConditions();
                      }
                      finished = now;
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  boolean finished() {
    return finished >= 0;
  }

  double firstStatusSeconds() {
    return (firstStatus - start) / 1e9;
  }

  String firstPhase() {
    return firstPhase;
  }

  /** Seconds from the start to the end; fails when the run did not end. */
  double finishedSeconds() {
    if (finished < 0) throw new IllegalStateException(name + " did not finish");
    return (finished - start) / 1e9;
  }

  /** The phase and conditions of a run that ended other than Succeeded, or null. */
  String failure() {
    return failure;
  }

  @Override
  public void close() {
    if (watch != null) watch.close();
  }
}
