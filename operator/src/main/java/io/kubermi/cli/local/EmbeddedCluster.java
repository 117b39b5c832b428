package io.kubermi.cli.local;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.watch.NodeAgent;
import io.kubermi.operator.OperatorRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes API in this process (fabric8's mock server in CRUD mode) with kube-rmi's CRDs, Node
 * objects, the operator, and one agent per node: what {@code ./kube-rmi local}, {@code demo} and
 * the cluster tests run.
 */
public final class EmbeddedCluster implements AutoCloseable {
  public static final List<String> CRDS = List.of("imageremovals.kube-rmi.io-v1.yml", "nodeimageremovals.kube-rmi.io-v1.yml");
  /** The mock server logs every request at INFO through java.util.logging; kept referenced so the level sticks. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, NodeAgent> agents = new HashMap<>();
  private Operator operator;

  public EmbeddedCluster(Clock clock) {
    this(clock, new EverythingAllowed());
  }

  /** With a dispatcher of the caller's (tests add what kubectl and helm need from an API server). */
  public EmbeddedCluster(Clock clock, EverythingAllowed dispatcher) {
    this.clock = clock;
    this.server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    this.client = server.createClient();
    for (String crd : CRDS) {
      try (InputStream in = EmbeddedCluster.class.getResourceAsStream("/META-INF/fabric8/" + crd)) {
        client.resource(client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class)).create();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * The test server stores objects but cannot review access; an embedded single-user API server
   * allows everything, so it says so (JOSDK's leader election asks before it starts).
   */
  public static class EverythingAllowed extends KubernetesCrudDispatcher {
    private static final String REVIEW = "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\","
        + "\"status\":{\"resourceRules\":[{\"verbs\":[\"*\"],\"apiGroups\":[\"*\"],\"resources\":[\"*\"]}],"
        + "\"nonResourceRules\":[],\"incomplete\":false}}";

    @Override
    public io.fabric8.mockwebserver.http.MockResponse dispatch(io.fabric8.mockwebserver.http.RecordedRequest request) {
      if (request.getPath() != null && request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
        return new io.fabric8.mockwebserver.http.MockResponse().setResponseCode(201).setBody(REVIEW);
      }
      return super.dispatch(request);
    }
  }

  public KubernetesClient client() {
    return client;
  }

  /** The requests the API server answered since the last call, as {@code METHOD path} (for benchmarks). */
  public List<String> drainRequests() {
    List<String> requests = new ArrayList<>();
    try {
      for (var r = server.takeRequest(1, java.util.concurrent.TimeUnit.MILLISECONDS); r != null;
           r = server.takeRequest(1, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        requests.add(r.getMethod() + " " + r.getPath());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return requests;
  }

  public EmbeddedCluster addNode(String name, Map<String, String> labels) {
    client.resource(new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build()).create();
    return this;
  }

  public EmbeddedCluster startOperator() {
    operator = OperatorRunner.start(client, clock, null);
    return this;
  }

  public Operator startOperator(io.kubermi.operator.metrics.OperatorMetrics metrics) {
    operator = OperatorRunner.start(client, clock, (String) null, metrics);
    return operator;
  }

  public NodeAgent startAgent(String node, Engine engine, int chunkSize) {
    return startAgent(node, engine, chunkSize, null);
  }

  public NodeAgent startAgent(String node, Engine engine, int chunkSize, io.kubermi.agent.metrics.AgentMetrics metrics) {
    NodeAgent agent = new NodeAgent(client, node, engine, clock, chunkSize, metrics).start();
    agents.put(node, agent);
    return agent;
  }

  public void stopAgent(String node) {
    NodeAgent agent = agents.remove(node);
    if (agent != null) agent.close();
  }

  @Override
  public void close() {
    for (NodeAgent a : new ArrayList<>(agents.values())) a.close();
    agents.clear();
    if (operator != null) operator.stop();
    client.close();
    server.destroy();
  }
}
