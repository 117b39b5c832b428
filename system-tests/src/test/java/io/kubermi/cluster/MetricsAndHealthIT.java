package io.kubermi.cluster;

import static io.kubermi.cluster.ClusterFixtures.await;
import static io.kubermi.cluster.ClusterFixtures.finished;
import static io.kubermi.cluster.ClusterFixtures.removal;
import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.Operator;
import io.kubermi.agent.AgentCommand;
import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.docker.DockerEngine;
import io.kubermi.agent.metrics.AgentMetrics;
import io.kubermi.agent.watch.NodeAgent;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.PruneSpec;
import io.kubermi.operator.OperatorCommand;
import io.kubermi.operator.metrics.OperatorMetrics;
import io.kubermi.runtime.HealthServer;
import io.kubermi.runtime.Metrics;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * /metrics, /healthz and /readyz of a running agent and operator (real Docker, embedded API
 * server).
 */
@ExtendWith(EnginesExtension.class)
class MetricsAndHealthIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void countersMoveByWhatTheRemovalDidAndReadinessFollowsTheEngine(Engines engines)
      throws Exception {
    DockerDaemon docker = engines.docker("metrics");
    docker.importImage("a:1");
    long aSize = Long.parseLong(docker.dockerOk("image", "inspect", "-f", "{{.Size}}", "a:1"));
    docker.importImage("b:1");
    docker.dockerOk("tag", "b:1", "c:1");
    String x = docker.importImage("x:1");
    docker.runContainer("x:1", "busy");
    String dangling = docker.importImage("d:1");
    docker.importImage("d:1"); // the tag moves on: the first d:1 is dangling
    long danglingSize =
        Long.parseLong(docker.dockerOk("image", "inspect", "-f", "{{.Size}}", dangling));

    try (TestCluster cluster = new TestCluster()) {
      cluster.addNode("n1", Map.of());
      PrometheusMeterRegistry operatorRegistry = Metrics.registry();
      Operator operator = cluster.startOperator(new OperatorMetrics(operatorRegistry));
      PrometheusMeterRegistry agentRegistry = Metrics.registry();
      Engine engine = new DockerEngine(docker.host(), ProtectedImages.none());
      NodeAgent agent =
          cluster.startAgent("n1", engine, 16, new AgentMetrics(agentRegistry, engine));
      try (HealthServer agentHttp =
              new HealthServer(0, agentRegistry, () -> AgentCommand.readiness(agent, engine));
          HealthServer operatorHttp =
              new HealthServer(0, operatorRegistry, () -> OperatorCommand.readiness(operator))) {
        cluster.client().resource(removal("m", List.of("a:1", "b:1", x.substring(7, 19)))).create();
        await(cluster, "m", Duration.ofSeconds(60), finished());

        String agentMetrics = get(agentHttp, "/metrics").body();
        assertThat(agentMetrics)
            .contains(
                "kube_rmi_agent_images_untagged_total 2.0",
                "kube_rmi_agent_images_deleted_total 2.0",
                "kube_rmi_agent_conflicts_total{reason=\"Conflict\"} 1.0",
                "kube_rmi_agent_conflicts_total{reason=\"Error\"} 0.0",
                "kube_rmi_agent_removal_seconds_count 1",
                "kube_rmi_agent_engine_up 1.0",
                "kube_rmi_agent_run_failures_total 0.0",
                "jvm_memory_used_bytes");
        assertThat(value(agentMetrics, "kube_rmi_agent_reclaimed_bytes_total"))
            .as("a:1's one layer")
            .isEqualTo(aSize);
        assertThat(
                cluster
                    .client()
                    .resources(ImageRemoval.class)
                    .withName("m")
                    .get()
                    .getStatus()
                    .getSummary()
                    .getReclaimedBytes())
            .isEqualTo(aSize);
        String operatorMetrics = get(operatorHttp, "/metrics").body();
        assertThat(operatorMetrics)
            .contains(
                "kube_rmi_removals_total{phase=\"Failed\"} 1.0",
                "kube_rmi_removals_total{phase=\"Succeeded\"} 0.0",
                "kube_rmi_removal_duration_seconds_count 1",
                "kube_rmi_nodes_targeted 0.0");
        assertThat(operatorMetrics)
            .contains(
                "kube_rmi_schedule_runs_total{result=\"created\"} 0.0",
                "kube_rmi_schedule_runs_total{result=\"missed\"} 0.0");

        // A prune: its bytes count in the total and in the prune counter.
        ImageRemoval prune = removal("p", List.of());
        prune.getSpec().setImages(new ArrayList<>());
        prune.getSpec().setPrune(new PruneSpec());
        cluster.client().resource(prune).create();
        await(cluster, "p", Duration.ofSeconds(60), finished());
        String afterPrune = get(agentHttp, "/metrics").body();
        assertThat(value(afterPrune, "kube_rmi_agent_prune_reclaimed_bytes_total"))
            .isEqualTo(danglingSize);
        assertThat(value(afterPrune, "kube_rmi_agent_reclaimed_bytes_total"))
            .isEqualTo(aSize + danglingSize);
        assertThat(get(agentHttp, "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(agentHttp, "/readyz").statusCode()).isEqualTo(200);
        assertThat(get(operatorHttp, "/readyz").statusCode()).isEqualTo(200);

        docker.close(); // the engine socket goes away
        HttpResponse<String> notReady = get(agentHttp, "/readyz");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("the container engine does not answer");
        assertThat(get(agentHttp, "/healthz").statusCode()).as("alive all the same").isEqualTo(200);
        assertThat(get(agentHttp, "/metrics").body()).contains("kube_rmi_agent_engine_up 0.0");
      }
    }
  }

  /** The value of an unlabelled sample in Prometheus text. */
  private static long value(String metrics, String name) {
    String line =
        metrics
            .lines()
            .filter(l -> l.startsWith(name + " "))
            .findFirst()
            .orElseThrow(() -> new AssertionError(name + " not in\n" + metrics));
    return (long) Double.parseDouble(line.substring(name.length() + 1).trim());
  }

  private static HttpResponse<String> get(HealthServer server, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
