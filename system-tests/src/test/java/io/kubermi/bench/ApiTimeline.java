package io.kubermi.bench;

import io.kubermi.cluster.TestCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where the cluster path's time goes, as the API server saw it: every write it received, with the
 * time since {@link #mark()} (reads are left out: the benchmark's own polling is most of them). A
 * request is taken as it arrives, so each line is when a process got that far: the operator's child
 * create, the agent's status writes, the operator's status write.
 */
final class ApiTimeline implements AutoCloseable {
  private final TestCluster cluster;
  private final Thread taker;
  private final List<String> lines = new ArrayList<>();
  private volatile long origin = System.nanoTime();
  private volatile boolean open = true;

  ApiTimeline(TestCluster cluster) {
    this.cluster = cluster;
    this.taker = new Thread(this::take, "api-timeline");
    taker.setDaemon(true);
    taker.start();
  }

  /** Starts a new timeline at this moment. */
  synchronized void mark() {
    lines.clear();
    origin = System.nanoTime();
  }

  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  private void take() {
    try {
      while (open) {
        String request = cluster.takeRequest(100, TimeUnit.MILLISECONDS);
        long at = System.nanoTime();
        if (request == null || request.startsWith("GET ")) continue;
        synchronized (this) {
          lines.add(String.format("%7.3f s  %s", (at - origin) / 1e9, request));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    open = false;
    taker.interrupt();
  }
}
