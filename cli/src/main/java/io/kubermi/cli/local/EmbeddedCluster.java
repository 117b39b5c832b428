package io.kubermi.cli.local;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.watch.NodeAgent;
import io.kubermi.operator.OperatorRunner;
import io.kubermi.operator.metrics.OperatorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Kubernetes API in this process (fabric8's mock server in CRUD mode) with kube-rmi's CRDs and
 * Node objects, running the operator and one agent per node: what {@code ./kube-rmi local} and
 * {@code demo} run. The operator runs without leader election: there is one process.
 */
public class EmbeddedCluster implements AutoCloseable {
  public static final List<String> CRDS =
      List.of(
          "imageremovals.kube-rmi.io-v1.yml",
          "nodeimageremovals.kube-rmi.io-v1.yml",
          "imageremovalschedules.kube-rmi.io-v1.yml");

  /**
   * The mock server logs every request at INFO through java.util.logging; kept referenced so the
   * level sticks.
   */
  private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(Level.WARNING);
  }

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, NodeAgent> agents = new HashMap<>();
  private final List<Operator> operators = new ArrayList<>();

  public EmbeddedCluster(Clock clock) {
    this(clock, new EverythingAllowed());
  }

  /** With a subclass's dispatcher: what the API server answers beyond plain CRUD. */
  protected EmbeddedCluster(Clock clock, EverythingAllowed dispatcher) {
    this.clock = clock;
    this.server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    this.client = server.createClient();
    for (String crd : CRDS) {
      try (InputStream in = EmbeddedCluster.class.getResourceAsStream("/META-INF/fabric8/" + crd)) {
        client
            .resource(
                client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
            .create();
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
    private static final String REVIEW =
        "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\","
            + "\"status\":{\"resourceRules\":[{\"verbs\":[\"*\"],\"apiGroups\":[\"*\"],\"resources\":[\"*\"]}],"
            + "\"nonResourceRules\":[],\"incomplete\":false}}";

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if (request.getPath() != null
          && request
              .getPath()
              .startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
        return new MockResponse().setResponseCode(201).setBody(REVIEW);
      }
      return super.dispatch(request);
    }
  }

  public KubernetesClient client() {
    return client;
  }

  public EmbeddedCluster addNode(String name, Map<String, String> labels) {
    client.resource(node(name, labels)).create();
    return this;
  }

  /** A Node object of that name and labels, as a cluster would register it (no status). */
  public static Node node(String name, Map<String, String> labels) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .build();
  }

  public Operator startOperator() {
    return register(
        OperatorRunner.start(
            client, clock, (String) null, new OperatorMetrics(new SimpleMeterRegistry())));
  }

  public NodeAgent startAgent(String node, Engine engine) {
    return register(
        node,
        new NodeAgent(client, node, engine, clock, engine.removalBatch(), null)
            .keepingEveryResult()
            .start());
  }

  /** The API server itself, for a subclass that reads the requests it answered. */
  protected KubernetesMockServer server() {
    return server;
  }

  protected Clock clock() {
    return clock;
  }

  /** Stops the operator with the cluster. */
  protected Operator register(Operator operator) {
    operators.add(operator);
    return operator;
  }

  /** Stops the agent with the cluster, or earlier with {@link #unregister}. */
  protected NodeAgent register(String node, NodeAgent agent) {
    agents.put(node, agent);
    return agent;
  }

  protected NodeAgent unregister(String node) {
    return agents.remove(node);
  }

  @Override
  public void close() {
    for (NodeAgent a : new ArrayList<>(agents.values())) a.close();
    agents.clear();
    operators.forEach(Operator::stop);
    client.close();
    server.destroy();
  }
}
