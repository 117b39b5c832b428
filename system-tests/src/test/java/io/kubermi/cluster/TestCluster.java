package io.kubermi.cluster;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.journal.RemovalJournal;
import io.kubermi.agent.metrics.AgentMetrics;
import io.kubermi.agent.watch.NodeAgent;
import io.kubermi.cli.local.EmbeddedCluster;
import io.kubermi.controlplane.ControlPlane;
import io.kubermi.operator.OperatorRunner;
import io.kubermi.operator.metrics.OperatorMetrics;
import io.kubermi.operator.reconciler.ChildResync;
import io.kubermi.runtime.Watchdog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A cluster for one test: Node objects, the operator and one agent per node in this JVM, on the
 * real control plane ({@link ControlPlane#shared()}) as a cluster administrator. On close it stops
 * them and deletes every kube-rmi object, Node and Event it could have made, so the next test
 * starts from an empty cluster.
 *
 * <p>{@link #onMock} runs the same on fabric8's mock API server instead, for the few tests that
 * count the requests the server answered or script its answers: the mock records both, a real
 * server neither.
 */
public class TestCluster implements AutoCloseable {
  private final Clock clock;
  private final KubernetesClient client;
  private final RecordingMock mock;
  private final Map<String, NodeAgent> agents = new HashMap<>();
  private final List<Operator> operators = new ArrayList<>();
  private final List<KubernetesClient> identities = new ArrayList<>();

  public TestCluster() {
    this(Clock.systemUTC());
  }

  /** With the operator's and agents' clock given (e.g. shifted to just before a scheduled time). */
  public TestCluster(Clock clock) {
    this.clock = clock;
    ControlPlane controlPlane = ControlPlane.shared();
    this.client = controlPlane.client(controlPlane.adminToken());
    this.mock = null;
  }

  private TestCluster(RecordingMock mock) {
    this.clock = Clock.systemUTC();
    this.client = mock.client();
    this.mock = mock;
  }

  /** On fabric8's mock API server, which records the requests it answered. */
  public static TestCluster onMock() {
    return onMock(new EmbeddedCluster.EverythingAllowed());
  }

  /** On fabric8's mock API server with a dispatcher of the test's: what it answers beyond CRUD. */
  public static TestCluster onMock(EmbeddedCluster.EverythingAllowed dispatcher) {
    return new TestCluster(new RecordingMock(dispatcher));
  }

  public KubernetesClient client() {
    return client;
  }

  public TestCluster addNode(String name, Map<String, String> labels) {
    client.resource(EmbeddedCluster.node(name, labels)).create();
    return this;
  }

  public Operator startOperator() {
    return startOperator(new OperatorMetrics(new SimpleMeterRegistry()));
  }

  public Operator startOperator(OperatorMetrics metrics) {
    Operator operator = OperatorRunner.start(client, clock, (String) null, metrics);
    operators.add(operator);
    return operator;
  }

  /** An operator that keeps the nodes the selector matches out of every run. */
  public Operator startOperatorExcluding(LabelSelector excludedNodes) {
    Operator operator =
        OperatorRunner.start(
            client,
            clock,
            null,
            new OperatorMetrics(new SimpleMeterRegistry()),
            ChildResync.DEFAULT_INTERVAL,
            drift -> {},
            excludedNodes);
    operators.add(operator);
    return operator;
  }

  /** The operator authenticated by the token (e.g. the chart's operator ServiceAccount's). */
  public Operator startOperatorAs(String token) {
    Operator operator =
        OperatorRunner.start(
            identity(token), clock, (String) null, new OperatorMetrics(new SimpleMeterRegistry()));
    operators.add(operator);
    return operator;
  }

  /** The node's agent authenticated by the token (e.g. one bound to a pod on that node). */
  public NodeAgent startAgentAs(String node, Engine engine, String token) {
    NodeAgent agent =
        new NodeAgent(identity(token), node, engine, clock, engine.removalBatch(), null).start();
    agents.put(node, agent);
    return agent;
  }

  private KubernetesClient identity(String token) {
    KubernetesClient c = ControlPlane.shared().client(token);
    identities.add(c);
    return c;
  }

  /** Stops the operators this cluster started, as a deleted Deployment would. */
  public void stopOperator() {
    operators.forEach(Operator::stop);
    operators.clear();
  }

  public NodeAgent startAgent(String node, Engine engine) {
    return startAgent(node, engine, engine.removalBatch(), null);
  }

  public NodeAgent startAgent(String node, Engine engine, int chunkSize) {
    return startAgent(node, engine, chunkSize, null);
  }

  public NodeAgent startAgent(String node, Engine engine, int chunkSize, AgentMetrics metrics) {
    NodeAgent agent = new NodeAgent(client, node, engine, clock, chunkSize, metrics).start();
    agents.put(node, agent);
    return agent;
  }

  /** An agent whose watchdog is the caller's: what its /healthz would report. */
  public NodeAgent startAgent(String node, Engine engine, Watchdog watchdog) {
    NodeAgent agent =
        new NodeAgent(
                client,
                node,
                engine,
                clock,
                engine.removalBatch(),
                null,
                RemovalJournal.inMemory(node),
                watchdog,
                NodeAgent.DEFAULT_RESYNC)
            .start();
    agents.put(node, agent);
    return agent;
  }

  /** Stops the node's agent as a killed pod stops: whatever it was doing is abandoned. */
  public void stopAgent(String node) {
    NodeAgent agent = agents.remove(node);
    if (agent != null) agent.close();
  }

  /**
   * The requests the mock API server answered since the last call, as {@code METHOD path} (for
   * benchmarks).
   */
  public List<String> drainRequests() {
    List<String> requests = new ArrayList<>();
    try {
      for (String r = takeRequest(1, TimeUnit.MILLISECONDS);
          r != null;
          r = takeRequest(1, TimeUnit.MILLISECONDS)) {
        requests.add(r);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return requests;
  }

  /**
   * The next request the mock API server received, as {@code METHOD path}; null after the timeout.
   */
  public String takeRequest(long timeout, TimeUnit unit) throws InterruptedException {
    if (mock == null) {
      throw new IllegalStateException("only the mock API server records requests: onMock()");
    }
    return mock.takeRequest(timeout, unit);
  }

  @Override
  public void close() {
    for (NodeAgent a : new ArrayList<>(agents.values())) a.close();
    agents.clear();
    stopOperator();
    if (mock != null) {
      mock.close();
      return;
    }
    identities.forEach(KubernetesClient::close);
    ControlPlane.shared().wipeTestObjects();
    client.close();
  }

  /** The embedded cluster's mock API server, with access to the requests it recorded. */
  private static final class RecordingMock extends EmbeddedCluster {
    RecordingMock(EverythingAllowed dispatcher) {
      super(Clock.systemUTC(), dispatcher);
    }

    String takeRequest(long timeout, TimeUnit unit) throws InterruptedException {
      var r = server().takeRequest(timeout, unit);
      return r == null ? null : r.getMethod() + " " + r.getPath();
    }
  }
}
