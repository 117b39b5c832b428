package io.kubermi.cluster;

import io.javaoperatorsdk.operator.Operator;
import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.metrics.AgentMetrics;
import io.kubermi.agent.watch.NodeAgent;
import io.kubermi.cli.local.EmbeddedCluster;
import io.kubermi.operator.OperatorRunner;
import io.kubermi.operator.metrics.OperatorMetrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The embedded cluster of {@code ./kube-rmi local}, with what tests also need: a dispatcher of
 * their own, metrics, chunk sizes, agents that stop mid-run, and the requests the server answered.
 */
public class TestCluster extends EmbeddedCluster {
  public TestCluster() {
    this(new EverythingAllowed());
  }

  public TestCluster(EverythingAllowed dispatcher) {
    super(Clock.systemUTC(), dispatcher);
  }

  /** With the operator's and agents' clock given (e.g. shifted to just before a scheduled time). */
  public TestCluster(Clock clock) {
    super(clock, new EverythingAllowed());
  }

  @Override
  public TestCluster addNode(String name, Map<String, String> labels) {
    super.addNode(name, labels);
    return this;
  }

  public Operator startOperator(OperatorMetrics metrics) {
    return register(OperatorRunner.start(client(), clock(), (String) null, metrics));
  }

  public NodeAgent startAgent(String node, Engine engine, int chunkSize) {
    return startAgent(node, engine, chunkSize, null);
  }

  public NodeAgent startAgent(String node, Engine engine, int chunkSize, AgentMetrics metrics) {
    return register(
        node, new NodeAgent(client(), node, engine, clock(), chunkSize, metrics).start());
  }

  /** Stops the node's agent as a killed pod stops: whatever it was doing is abandoned. */
  public void stopAgent(String node) {
    NodeAgent agent = unregister(node);
    if (agent != null) agent.close();
  }

  /**
   * The requests the API server answered since the last call, as {@code METHOD path} (for
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

  /** The next request the API server received, as {@code METHOD path}; null after the timeout. */
  public String takeRequest(long timeout, TimeUnit unit) throws InterruptedException {
    var r = server().takeRequest(timeout, unit);
    return r == null ? null : r.getMethod() + " " + r.getPath();
  }
}
