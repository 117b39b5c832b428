package io.kubermi.agent.watch;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.metrics.AgentMetrics;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeLabel;
import java.time.Clock;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of one node: watches only its own node's NodeImageRemovals (label selector) and runs
 * them one at a time, oldest first. Level-triggered: after a restart it finds in the objects what
 * is unfinished and finishes it. It never touches another node's objects.
 */
public final class NodeAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
  public static final int DEFAULT_CHUNK = 16;

  private final KubernetesClient client;
  private final String nodeName;
  private final RemovalRunner runner;
  private final Semaphore wake = new Semaphore(0);
  private final Thread worker;
  private SharedIndexInformer<NodeImageRemoval> informer;
  private volatile boolean running = true;

  public NodeAgent(
      KubernetesClient client, String nodeName, Engine engine, Clock clock, int chunkSize) {
    this(client, nodeName, engine, clock, chunkSize, null);
  }

  /** With metrics (null: none), as the in-cluster agent runs. */
  public NodeAgent(
      KubernetesClient client,
      String nodeName,
      Engine engine,
      Clock clock,
      int chunkSize,
      AgentMetrics metrics) {
    this.client = client;
    this.nodeName = nodeName;
    this.runner = new RemovalRunner(client, engine, clock, chunkSize, metrics);
    this.worker = new Thread(this::work, "kube-rmi-agent-" + nodeName);
    this.worker.setDaemon(true);
  }

  public NodeAgent start() {
    informer =
        client
            .resources(NodeImageRemoval.class)
            .withLabel(KubeRmi.LABEL_NODE, NodeLabel.value(nodeName))
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(NodeImageRemoval o) {
                    wake.release();
                  }

                  @Override
                  public void onUpdate(NodeImageRemoval o, NodeImageRemoval n) {
                    wake.release();
                  }

                  @Override
                  public void onDelete(NodeImageRemoval o, boolean unknown) {}
                },
                0);
    worker.start();
    wake.release();
    return this;
  }

  /** Whether the watch is established and its cache filled (readiness). */
  public boolean isWatching() {
    return informer != null && informer.isRunning() && informer.hasSynced();
  }

  public String nodeName() {
    return nodeName;
  }

  private void work() {
    while (running) {
      try {
        wake.acquire(); // the informer's events release it; close() interrupts: no timer while idle
        wake.drainPermits();
        for (Optional<NodeImageRemoval> next = next(); next.isPresent() && running; next = next()) {
          runner.run(next.get());
        }
      } catch (InterruptedException e) {
        return;
      } catch (KubernetesClientException | IllegalStateException e) {
        LOG.warn("node {}: {}; retrying", nodeName, e.getMessage());
        sleepQuietly();
        wake.release();
      }
    }
  }

  /** The oldest unfinished removal of this node, as the informer's cache and the server say. */
  private Optional<NodeImageRemoval> next() {
    return informer.getStore().list().stream()
        .filter(o -> nodeName.equals(o.getSpec().getNodeName()))
        .filter(RemovalRunner::needsWork)
        .sorted(
            Comparator.comparing(
                    (NodeImageRemoval o) ->
                        o.getMetadata().getCreationTimestamp() == null
                            ? ""
                            : o.getMetadata().getCreationTimestamp())
                .thenComparing(o -> o.getMetadata().getName()))
        .map(
            o -> client.resources(NodeImageRemoval.class).withName(o.getMetadata().getName()).get())
        .filter(o -> o != null && RemovalRunner.needsWork(o))
        .findFirst();
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    worker.interrupt();
    if (informer != null) informer.close();
  }
}
