package io.kubermi.docs;

import static io.kubermi.cluster.ClusterFixtures.await;
import static io.kubermi.cluster.ClusterFixtures.finished;
import static io.kubermi.cluster.ClusterFixtures.removal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.RemovalPhase;
import io.kubermi.cluster.ClusterFixtures;
import io.kubermi.cluster.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The Argo CD health check of docs/gitops.md, taken from the doc's YAML and run by a Lua
 * interpreter on ImageRemovals as the real operator leaves them: succeeded, failed, still running,
 * and not yet seen.
 */
class ArgoCdHealthCheckIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "resource.customizations.health.kube-rmi.io_ImageRemoval";

  @Test
  void healthFollowsReadyStalledAndReconciling() throws Exception {
    String script = healthCheckFromDocs();
    try (TestCluster cluster = new TestCluster()) {
      cluster.addNode("node-a", Map.of()).addNode("idle", Map.of());
      cluster.startOperator();
      cluster.startAgent("node-a", ClusterFixtures.docsNode(false), 16);

      ImageRemoval ok = removal("ok", List.of("test1:latest"));
      ok.getSpec().setNodeNames(List.of("node-a"));
      ImageRemoval conflict = removal("conflict", List.of(ClusterFixtures.ID.substring(7, 19)));
      conflict.getSpec().setNodeNames(List.of("node-a"));
      ImageRemoval waiting = removal("waiting", List.of("test2:latest"));
      waiting
          .getSpec()
          .setNodeNames(List.of("idle")); // no agent there: runs until its node timeout
      for (ImageRemoval r : List.of(ok, conflict, waiting)) cluster.client().resource(r).create();

      ImageRemoval succeeded = await(cluster, "ok", Duration.ofSeconds(60), finished());
      ImageRemoval failed = await(cluster, "conflict", Duration.ofSeconds(60), finished());
      ImageRemoval running =
          await(
              cluster,
              "waiting",
              Duration.ofSeconds(60),
              r ->
                  r.getStatus() != null
                      && r.getStatus().getConditions() != null
                      && !r.getStatus().getPhase().isFinished());
      assertThat(succeeded.getStatus().getPhase()).isEqualTo(RemovalPhase.Succeeded);
      assertThat(failed.getStatus().getPhase()).isEqualTo(RemovalPhase.Failed);

      assertThat(health(script, cluster, succeeded)).containsEntry("status", "Healthy");
      assertThat(health(script, cluster, failed))
          .containsEntry("status", "Degraded")
          .hasEntrySatisfying("message", m -> assertThat(m).startsWith("Conflict: "));
      assertThat(health(script, cluster, running)).containsEntry("status", "Progressing");
      assertThat(health(script, cluster, removal("new", List.of("x:1"))))
          .containsEntry("status", "Progressing");
    }
  }

  /** The Lua under the health key of the argocd-cm snippet in docs/gitops.md. */
  private static String healthCheckFromDocs() throws Exception {
    String doc = Files.readString(Path.of("../docs/gitops.md"));
    for (String block : doc.split("```yaml\n")) {
      if (!block.contains(KEY)) continue;
      Map<?, ?> cm =
          new KubernetesSerialization()
              .unmarshal(block.substring(0, block.indexOf("```")), Map.class);
      return (String) ((Map<?, ?>) cm.get("data")).get(KEY);
    }
    throw new AssertionError("docs/gitops.md has no " + KEY);
  }

  /**
   * Runs the check as Argo CD does: the object as the global {@code obj}, the script returns
   * {status, message}.
   */
  private static Map<String, String> health(String script, TestCluster cluster, ImageRemoval r)
      throws Exception {
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", lua(JSON.readTree(cluster.client().getKubernetesSerialization().asJson(r))));
    LuaValue hs = globals.load(script).call();
    return Map.of(
        "status",
        hs.get("status").tojstring(),
        "message",
        hs.get("message").isnil() ? "" : hs.get("message").tojstring());
  }

  private static LuaValue lua(JsonNode n) {
    if (n.isObject()) {
      LuaTable t = new LuaTable();
      n.fields().forEachRemaining(e -> t.set(e.getKey(), lua(e.getValue())));
      return t;
    }
    if (n.isArray()) {
      LuaTable t = new LuaTable();
      for (int i = 0; i < n.size(); i++) t.set(i + 1, lua(n.get(i)));
      return t;
    }
    if (n.isBoolean()) return LuaValue.valueOf(n.booleanValue());
    if (n.isNumber()) return LuaValue.valueOf(n.doubleValue());
    if (n.isNull()) return LuaValue.NIL;
    return LuaValue.valueOf(n.asText());
  }
}
