package io.kubermi.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeLabel;
import io.kubermi.operator.status.StatusAggregator;
import io.kubermi.runtime.JsonPatch;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ImageRemoval's NodeImageRemovals, one per node: creates the missing ones, moves existing ones
 * to the current generation, deletes those of nodes no longer targeted. Tells the children informer
 * about its own writes, so the next reconcile sees them even before their events.
 */
final class ChildSet {
  private static final Logger LOG = LoggerFactory.getLogger(ChildSet.class);

  /**
   * Child writes in flight at once, over all removals: one after another, 5,000 nodes took 38 s;
   * the bound keeps a large fan-out from crowding the API server's other clients.
   */
  static final int FAN_OUT_CONCURRENCY = 16;

  private final KubernetesClient client;
  private final InformerEventSource<NodeImageRemoval, ImageRemoval> informer;
  private final ExecutorService writers;

  ChildSet(KubernetesClient client, InformerEventSource<NodeImageRemoval, ImageRemoval> informer) {
    this.client = client;
    this.informer = informer;
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            FAN_OUT_CONCURRENCY,
            FAN_OUT_CONCURRENCY,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "child-writer-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    // Between fan-outs no thread waits: an operator is mostly idle, and one process may hold
    // several (tests, the local mode).
    pool.allowCoreThreadTimeOut(true);
    this.writers = pool;
  }

  /**
   * {@link #ensure} for every node, {@link #FAN_OUT_CONCURRENCY} at a time; the children by node.
   * When they are not all written within {@code patience}, runs {@code meanwhile} once (the
   * reconciler writes a first status there) and goes on waiting. A failed write fails the whole
   * call after the others finished, so a retried reconcile finds them in the informer's cache.
   */
  Map<String, NodeImageRemoval> ensureAll(
      ImageRemoval removal,
      Collection<String> nodes,
      Map<String, NodeImageRemoval> existing,
      Duration patience,
      Runnable meanwhile)
      throws InterruptedException {
    Map<String, Future<NodeImageRemoval>> pending = new LinkedHashMap<>();
    for (String node : nodes) {
      NodeImageRemoval current = existing.get(node);
      pending.put(node, writers.submit(() -> ensure(removal, node, current)));
    }
    if (!allDoneBy(pending.values(), System.nanoTime() + patience.toNanos())) meanwhile.run();
    Map<String, NodeImageRemoval> ensured = new HashMap<>();
    RuntimeException failure = null;
    for (Map.Entry<String, Future<NodeImageRemoval>> e : pending.entrySet()) {
      try {
        ensured.put(e.getKey(), e.getValue().get());
      } catch (ExecutionException f) {
        if (failure == null) failure = unwrap(f);
      }
    }
    if (failure != null) throw failure;
    return ensured;
  }

  /** Whether every write finished (either way) before the deadline. */
  private static boolean allDoneBy(Collection<Future<NodeImageRemoval>> writes, long deadline)
      throws InterruptedException {
    for (Future<NodeImageRemoval> f : writes) {
      try {
        f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException slow) {
        return false;
      } catch (ExecutionException failedInTime) {
        // finished; its failure is reported with the results
      }
    }
    return true;
  }

  private static RuntimeException unwrap(ExecutionException e) {
    return e.getCause() instanceof RuntimeException r
        ? r
        : new IllegalStateException(e.getCause().getMessage(), e.getCause());
  }

  static Map<String, NodeImageRemoval> byNode(Collection<NodeImageRemoval> children) {
    Map<String, NodeImageRemoval> byNode = new HashMap<>();
    for (NodeImageRemoval c : children) {
      byNode.put(c.getSpec().getNodeName(), c);
    }
    return byNode;
  }

  /**
   * Whether the removal has children and every child of the generation has reported a finished run
   * of it. Read from the informer's cache without collecting the children into a set: JOSDK's
   * secondary-resource set hashes every child whole, and at 5,000 children doing that on every
   * event was most of the operator's CPU. A child created so recently that the informer has not
   * seen it can only make this true too early, which writes a status the pacer would have held.
   */
  boolean allFinished(ImageRemoval removal, long generation) {
    return allFinished(informer.list(c -> ChildFactory.isChildOf(c, removal)), generation);
  }

  /**
   * Stops at the first unfinished child of the generation. A short-circuiting match, not an
   * iterator: the informer's stream is flat-mapped over its caches, and iterating such a stream
   * filters a whole cache before the first element comes out.
   */
  static boolean allFinished(Stream<NodeImageRemoval> childrenOfRemoval, long generation) {
    Long wanted = generation;
    AtomicBoolean any = new AtomicBoolean();
    boolean noneUnfinished =
        childrenOfRemoval.noneMatch(
            c -> {
              any.set(true);
              return Objects.equals(c.getSpec().getRemovalGeneration(), wanted)
                  && !finished(c, wanted);
            });
    return noneUnfinished && any.get();
  }

  private static boolean finished(NodeImageRemoval c, Long generation) {
    return c.getStatus() != null
        && Objects.equals(c.getStatus().getObservedGeneration(), generation)
        && c.getStatus().getPhase() != null
        && c.getStatus().getPhase().isFinished();
  }

  /** How many of {@code nodes} {@link #ensure} would write: no child, or one of another run. */
  static long writesNeeded(
      ImageRemoval removal, Collection<String> nodes, Map<String, NodeImageRemoval> existing) {
    Long generation = StatusAggregator.generationOf(removal);
    return nodes.stream()
        .map(existing::get)
        .filter(c -> c == null || !Objects.equals(c.getSpec().getRemovalGeneration(), generation))
        .count();
  }

  /** The node's child at the removal's current generation, created or updated as needed. */
  NodeImageRemoval ensure(ImageRemoval removal, String node, NodeImageRemoval existing) {
    NodeImageRemoval desired = ChildFactory.desired(removal, node);
    if (existing == null) {
      try {
        NodeImageRemoval created = client.resource(desired).create();
        informer.handleRecentResourceCreate(ResourceID.fromResource(created), created);
        return created;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) throw e;
        existing =
            client
                .resources(NodeImageRemoval.class)
                .withName(desired.getMetadata().getName())
                .get();
        if (existing == null || !ChildFactory.isChildOf(existing, removal)) {
          // Someone else's object under the child's name: never taken over or patched. The child
          // is made under a name with the removal's UID instead (children are found by their
          // labels and owner, not by name).
          LOG.warn(
              "NodeImageRemoval {} exists and is not controlled by ImageRemoval {}; node {}'s"
                  + " part is named after the removal's UID",
              desired.getMetadata().getName(),
              removal.getMetadata().getName(),
              node);
          NodeImageRemoval created =
              client.resource(ChildFactory.renamedAfterUid(desired, removal)).create();
          informer.handleRecentResourceCreate(ResourceID.fromResource(created), created);
          return created;
        }
      }
    }
    if (Objects.equals(
        existing.getSpec().getRemovalGeneration(), desired.getSpec().getRemovalGeneration())) {
      return existing;
    }
    // A JSON patch setting the whole spec: the same on the API server and the test server (see
    // JsonPatch). By the object, not by its name, which would cost a GET before the patch.
    NodeImageRemoval updated =
        client
            .resources(NodeImageRemoval.class)
            .resource(existing)
            .patch(PatchContext.of(PatchType.JSON), JsonPatch.set("/spec", desired.getSpec()));
    informer.handleRecentResourceUpdate(ResourceID.fromResource(updated), updated, existing);
    return updated;
  }

  /**
   * The removal's children as the API server lists them now, not as the informer last heard: a
   * watch that missed events during an outage (the test server never replays them) is caught up.
   */
  Map<String, NodeImageRemoval> listedNow(ImageRemoval removal) {
    return byNode(
        client
            .resources(NodeImageRemoval.class)
            .withLabel(KubeRmi.LABEL_REMOVAL, NodeLabel.value(removal.getMetadata().getName()))
            .list()
            .getItems()
            .stream()
            .filter(c -> ChildFactory.isChildOf(c, removal))
            .toList());
  }

  /** Deletes the children whose node is not in {@code keep} (all of them when keep is empty). */
  void deleteExcept(Iterable<NodeImageRemoval> all, Set<String> keep) {
    for (NodeImageRemoval c : all) {
      if (!keep.contains(c.getSpec().getNodeName())) {
        client.resource(c).delete();
      }
    }
  }
}
