package io.kubermi.agent.watch;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeImageRemovalStatus;
import io.kubermi.runtime.Watchdog;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Status writes through a real HTTP client to fabric8's test server, which answers a patch on a
 * moved-on resourceVersion with 409 as the API server does. The network in between is a proxy that
 * can hold a request on its way, as a broken connection can.
 */
class LateStatusWriteTest {
  private KubernetesMockServer server;
  private KubernetesClient direct;

  @BeforeEach
  void startServer() throws Exception {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(List.of()),
            false);
    server.init();
    direct = server.createClient();
    try (InputStream crd =
        getClass().getResourceAsStream("/META-INF/fabric8/nodeimageremovals.kube-rmi.io-v1.yml")) {
      direct
          .resource(
              direct.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class))
          .create();
    }
  }

  @AfterEach
  void stopServer() {
    direct.close();
    server.destroy();
  }

  @Test
  @Timeout(60)
  void anAbandonedWriteThatLandsAfterANewerOneIsRefused() throws Exception {
    NodeImageRemoval child = direct.resource(child("r-n1")).create();
    int apiPort = URI.create(direct.getConfiguration().getMasterUrl()).getPort();
    try (HoldingProxy network = new HoldingProxy(apiPort);
        KubernetesClient agentClient = clientThrough(network.port());
        StatusPublisher publisher =
            new StatusPublisher(
                new NodeStatusWriter(agentClient),
                Duration.ZERO,
                Duration.ofMillis(500),
                new Watchdog(Clock.systemUTC()),
                "n1")) {
      publisher.offer(child, status("older"));
      assertThat(network.held.await(20, SECONDS)).as("the first write left the agent").isTrue();

      // The held write has no answer: abandoned after 500 ms; the newer status goes on a new
      // connection.
      publisher.write(child, status("newer"));
      assertThat(messageOnServer()).isEqualTo("newer");

      network.release();
      assertThat(network.answered.await(20, SECONDS))
          .as("the held write reached the server")
          .isTrue();
      assertThat(messageOnServer()).as("the older status did not overwrite").isEqualTo("newer");
      assertThat(network.heldAnswer()).startsWith("HTTP/1.1 409");

      publisher.write(child, status("last"));
      assertThat(messageOnServer()).isEqualTo("last");
    }
  }

  @Test
  @Timeout(60)
  void aWriteOnAnObjectSomeoneElseMovedOnLearnsItsVersionAndLands() throws Exception {
    NodeImageRemoval seenByTheAgent = direct.resource(child("r-n2")).create();
    direct
        .resources(NodeImageRemoval.class)
        .withName("r-n2")
        .edit(o -> withLabel(o, "moved", "on"));
    List<Integer> answers = new ArrayList<>();
    NodeStatusWriter writer = new NodeStatusWriter(direct);
    StatusPublisher.StatusSink recorded =
        (o, s) -> {
          try {
            writer.write(o, s);
            answers.add(200);
          } catch (KubernetesClientException e) {
            answers.add(e.getCode());
            throw e;
          }
        };
    try (StatusPublisher publisher =
        new StatusPublisher(recorded, Duration.ZERO, new Watchdog(Clock.systemUTC()), "n2")) {
      publisher.write(seenByTheAgent, status("done"));
      publisher.write(seenByTheAgent, status("again"));
    }
    assertThat(answers)
        .as("refused once, then on the version it learned")
        .containsExactly(409, 200, 200);
    NodeImageRemoval now = direct.resources(NodeImageRemoval.class).withName("r-n2").get();
    assertThat(now.getStatus().getMessage()).isEqualTo("again");
    assertThat(now.getMetadata().getLabels()).containsEntry("moved", "on");
  }

  private String messageOnServer() {
    return direct.resources(NodeImageRemoval.class).withName("r-n1").get().getStatus().getMessage();
  }

  private static KubernetesClient clientThrough(int port) {
    // The agent's own timeouts (AgentCommand.clientConfig), on the proxy's address; HTTP/1.1 so
    // that the proxy can read the status line of the held write's answer (the precondition is in
    // the patch's body whatever the protocol).
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + port)
                .withConnectionTimeout(10_000)
                .withRequestTimeout(30_000)
                .withHttp2Disable(true)
                .build())
        .build();
  }

  private static NodeImageRemoval child(String name) {
    NodeImageRemoval o = new NodeImageRemoval();
    o.getMetadata().setName(name);
    return o;
  }

  private static NodeImageRemoval withLabel(NodeImageRemoval o, String key, String value) {
    o.getMetadata().setLabels(new HashMap<>(Map.of(key, value)));
    return o;
  }

  private static NodeImageRemovalStatus status(String message) {
    NodeImageRemovalStatus s = new NodeImageRemovalStatus();
    s.setMessage(message);
    return s;
  }
}
