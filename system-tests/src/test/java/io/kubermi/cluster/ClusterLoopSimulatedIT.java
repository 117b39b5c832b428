package io.kubermi.cluster;

import static io.kubermi.cluster.ClusterFixtures.await;
import static io.kubermi.cluster.ClusterFixtures.docsNode;
import static io.kubermi.cluster.ClusterFixtures.finished;
import static io.kubermi.cluster.ClusterFixtures.phase;
import static io.kubermi.cluster.ClusterFixtures.poll;
import static io.kubermi.cluster.ClusterFixtures.removal;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.agent.metrics.AgentMetrics;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageResult;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.NodeFailureReason;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeLabel;
import io.kubermi.api.NodeResult;
import io.kubermi.api.Outcome;
import io.kubermi.api.PruneSpec;
import io.kubermi.api.RemovalPhase;
import io.kubermi.cli.simulated.SimulatedEngine;
import io.kubermi.runtime.HealthServer;
import io.kubermi.runtime.Metrics;
import io.kubermi.runtime.Watchdog;
import io.kubermi.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The operator/agent loop on simulated nodes: every orchestration rule, quickly and without
 * engines.
 */
class ClusterLoopSimulatedIT {
  private TestCluster cluster;

  @BeforeEach
  void start() {
    cluster = new TestCluster();
    cluster
        .addNode("n1", Map.of("pool", "a"))
        .addNode("n2", Map.of("pool", "a"))
        .addNode("n3", Map.of("pool", "b"));
    cluster.startOperator();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private ImageRemoval apply(ImageRemoval r) {
    return cluster.client().resource(r).create();
  }

  private static NodeResult node(ImageRemoval r, String name) {
    return r.getStatus().getNodes().stream()
        .filter(n -> n.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private List<Event> events(String name) {
    return cluster.client().v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> e.getInvolvedObject().getName().equals(name))
        .toList();
  }

  /**
   * The removal's events once one with {@code reason} exists: the operator records an Event after
   * the status write of the same reconcile, so a test that saw the status may be ahead of it.
   */
  private List<Event> eventsOnce(String name, String reason) {
    return poll(
        () -> events(name),
        es -> es.stream().anyMatch(e -> e.getReason().equals(reason)),
        Duration.ofSeconds(10));
  }

  @Test
  void everyNodeByDefaultAndAggregatedStatusAndEvents() {
    for (String n : List.of("n1", "n2", "n3")) cluster.startAgent(n, docsNode(false), 16);
    apply(removal("untag", List.of("test1:latest", "nothere")));
    ImageRemoval done =
        await(cluster, "untag", Duration.ofSeconds(30), phase(RemovalPhase.Succeeded));
    assertThat(done.getStatus().getProgress()).isEqualTo("3/3");
    assertThat(done.getStatus().getSummary().getUntagged()).isEqualTo(3);
    assertThat(done.getStatus().getSummary().getNotFound()).isEqualTo(3);
    assertThat(done.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo(KubeRmi.CONDITION_READY);
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getMessage())
                  .isEqualTo("all 3 nodes succeeded; not found on any node: nothere");
            });
    NodeResult n1 = node(done, "n1");
    assertThat(n1.getEngine()).isEqualTo("simulated 1.0");
    assertThat(n1.getResults())
        .extracting(ImageResult::getOutcome)
        .containsExactly(Outcome.Removed, Outcome.NotFound);
    List<NodeImageRemoval> children =
        cluster.client().resources(NodeImageRemoval.class).list().getItems();
    assertThat(children)
        .hasSize(3)
        .allSatisfy(
            c -> {
              assertThat(c.getMetadata().getOwnerReferences())
                  .singleElement()
                  .satisfies(
                      o -> {
                        assertThat(o.getName()).isEqualTo("untag");
                        assertThat(o.getController()).isTrue();
                      });
              assertThat(c.getMetadata().getLabels())
                  .containsEntry(KubeRmi.LABEL_REMOVAL, "untag")
                  .containsEntry(KubeRmi.LABEL_NODE, c.getSpec().getNodeName());
            });
    assertThat(eventsOnce("untag", "NotFound"))
        .extracting(Event::getReason)
        .contains("Started", "Succeeded");
    assertThat(events("untag"))
        .filteredOn(e -> e.getReason().equals("NotFound"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage())
                  .isEqualTo("not found on any of the 3 targeted node(s): nothere");
            });
  }

  @Test
  void selectorAndNamesTargetTheirUnionAndAMissingNameIsReported() {
    for (String n : List.of("n1", "n2", "n3")) cluster.startAgent(n, docsNode(false), 16);
    ImageRemoval r = removal("targeted", List.of("test1:latest"));
    r.getSpec()
        .setNodeSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("pool", "b")).build());
    r.getSpec().setNodeNames(List.of("n1", "ghost"));
    apply(r);
    ImageRemoval done = await(cluster, "targeted", Duration.ofSeconds(30), finished());
    assertThat(done.getStatus().getNodes())
        .extracting(NodeResult::getName)
        .containsExactly("ghost", "n1", "n3");
    assertThat(node(done, "ghost").getReason()).isEqualTo(NodeFailureReason.NodeGone);
    assertThat(done.getStatus().getPhase()).isEqualTo(RemovalPhase.Failed);
    assertThat(cluster.client().resources(NodeImageRemoval.class).list().getItems())
        .extracting(c -> c.getSpec().getNodeName())
        .containsExactlyInAnyOrder("n1", "n3");
  }

  @Test
  void aConflictOnOneNodeFailsThatNodeAndTheRemoval() {
    cluster.startAgent("n1", docsNode(true), 16);
    cluster.startAgent("n2", docsNode(false), 16);
    cluster.startAgent("n3", docsNode(false), 16);
    ImageRemoval r = removal("force", List.of("fd484f19954f"));
    r.getSpec().setForce(true);
    apply(r);
    ImageRemoval done = await(cluster, "force", Duration.ofSeconds(30), phase(RemovalPhase.Failed));
    NodeResult n1 = node(done, "n1");
    assertThat(n1.getReason()).isEqualTo(NodeFailureReason.Conflict);
    assertThat(n1.getResults())
        .singleElement()
        .satisfies(
            x ->
                assertThat(x.getMessage())
                    .isEqualTo(
                        "conflict: unable to delete fd484f19954f (cannot be forced) - image is being used by running container cccccccccccc"));
    assertThat(node(done, "n2").getPhase()).isEqualTo(RemovalPhase.Succeeded);
    assertThat(node(done, "n2").getResults().get(0).getUntagged())
        .containsExactly("test1:latest", "test2:latest", "test:latest");
    assertThat(done.getStatus().getNodes().get(0).getName())
        .as("failed nodes first")
        .isEqualTo("n1");
    assertThat(done.getStatus().getSummary().getConflicts()).isEqualTo(1);
    assertThat(done.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo(KubeRmi.CONDITION_STALLED);
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("Conflict");
            });
    assertThat(eventsOnce("force", "NodeFailed"))
        .anySatisfy(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getReason()).isEqualTo("NodeFailed");
              assertThat(e.getMessage()).contains("node n1: Conflict").contains("cannot be forced");
            });
  }

  @Test
  void aSpecEditRunsAgainUnderTheNewGeneration() {
    for (String n : List.of("n1", "n2", "n3")) cluster.startAgent(n, docsNode(false), 16);
    apply(removal("edit", List.of("test1:latest")));
    ImageRemoval first =
        await(cluster, "edit", Duration.ofSeconds(30), phase(RemovalPhase.Succeeded));
    first.getSpec().setImages(List.of("test2:latest"));
    cluster.client().resource(first).update();
    ImageRemoval second =
        await(
            cluster,
            "edit",
            Duration.ofSeconds(30),
            phase(RemovalPhase.Succeeded).and(x -> x.getStatus().getObservedGeneration() == 2L));
    assertThat(node(second, "n2").getResults())
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.getImage()).isEqualTo("test2:latest");
              assertThat(x.getUntagged()).containsExactly("test2:latest");
            });
    assertThat(cluster.client().resources(NodeImageRemoval.class).list().getItems())
        .allSatisfy(c -> assertThat(c.getStatus().getObservedGeneration()).isEqualTo(2L));
  }

  /**
   * The API server refuses what the CRD's schema can say is wrong (CrdOnRealServerIT); the operator
   * refuses again what only its validator knows, here docker's 255-character limit on the
   * normalized name, which no pattern in the schema carries.
   */
  @Test
  void aSpecOnlyTheValidatorRefusesFailsWithoutChildren() {
    String tooLong = "a".repeat(250) + ":1";
    apply(removal("bad", List.of(tooLong)));
    ImageRemoval done = await(cluster, "bad", Duration.ofSeconds(30), phase(RemovalPhase.Failed));
    assertThat(done.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo(KubeRmi.CONDITION_STALLED);
              assertThat(c.getReason()).isEqualTo("InvalidSpec");
              assertThat(c.getMessage())
                  .contains(
                      "spec.images[0]: invalid value \"" + tooLong + "\"",
                      "repository name must not be more than 255 characters");
            });
    assertThat(cluster.client().resources(NodeImageRemoval.class).list().getItems()).isEmpty();
    assertThat(eventsOnce("bad", "InvalidSpec"))
        .extracting(Event::getReason)
        .contains("InvalidSpec");
  }

  /** Prune fields whose syntax only the validator reads: the schema lets them through. */
  @Test
  void anInvalidPruneSpecFailsWithoutChildrenNamingTheField() {
    ImageRemoval until = removal("until", List.of());
    until.getSpec().setImages(new ArrayList<>());
    until.getSpec().setPrune(new PruneSpec());
    until.getSpec().getPrune().setUntil("7 days");
    ImageRemoval budget = removal("budget", List.of());
    budget.getSpec().setImages(new ArrayList<>());
    budget.getSpec().setPrune(new PruneSpec());
    budget.getSpec().setMaxFailedNodes(new IntOrString("150%"));
    Map<String, String> expected =
        Map.of(
            "until", "spec.prune.until: invalid value \"7 days\"",
            "budget", "spec.maxFailedNodes: invalid value \"150%\"");
    for (ImageRemoval r : List.of(until, budget)) apply(r);
    for (var e : expected.entrySet()) {
      ImageRemoval done =
          await(cluster, e.getKey(), Duration.ofSeconds(30), phase(RemovalPhase.Failed));
      assertThat(done.getStatus().getConditions())
          .anySatisfy(
              c -> {
                assertThat(c.getReason()).isEqualTo("InvalidSpec");
                assertThat(c.getMessage()).contains(e.getValue());
              });
    }
    assertThat(cluster.client().resources(NodeImageRemoval.class).list().getItems()).isEmpty();
  }

  @Test
  void maxFailedNodesLetsTheRemovalSucceedWithTheFailedNodeListed() {
    cluster.startAgent("n1", docsNode(true), 16);
    cluster.startAgent("n2", docsNode(false), 16);
    cluster.startAgent("n3", docsNode(false), 16);
    ImageRemoval r = removal("budget", List.of("fd484f19954f"));
    r.getSpec().setForce(true);
    r.getSpec().setMaxFailedNodes(new IntOrString("34%")); // of 3 nodes: 1
    apply(r);
    ImageRemoval done =
        await(cluster, "budget", Duration.ofSeconds(30), phase(RemovalPhase.Succeeded));
    assertThat(node(done, "n1").getPhase()).isEqualTo(RemovalPhase.Failed);
    assertThat(node(done, "n1").getReason()).isEqualTo(NodeFailureReason.Conflict);
    assertThat(done.getStatus().getSummary().getNodesFailed()).isEqualTo(1);
    assertThat(done.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo(KubeRmi.CONDITION_READY);
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getMessage())
                  .isEqualTo("1 of 3 nodes failed, 1 allowed by spec.maxFailedNodes");
            });
    assertThat(eventsOnce("budget", "Succeeded"))
        .anySatisfy(
            e -> {
              assertThat(e.getReason()).isEqualTo("Succeeded");
              assertThat(e.getMessage())
                  .contains("1 node(s) failed, 1 allowed by spec.maxFailedNodes");
            });

    ImageRemoval strict = removal("strict", List.of("fd484f19954f"));
    strict.getSpec().setForce(true);
    strict.getSpec().setMaxFailedNodes(new IntOrString("33%")); // of 3 nodes: 0
    apply(strict);
    await(cluster, "strict", Duration.ofSeconds(30), phase(RemovalPhase.Failed));
  }

  @Test
  void aNodeWithoutAgentIsAgentUnavailableAfterItsTimeout() {
    cluster.startAgent("n1", docsNode(false), 16);
    ImageRemoval r = removal("noagent", List.of("test1:latest"));
    r.getSpec().setNodeNames(List.of("n1", "n2"));
    r.getSpec().setNodeTimeoutSeconds(2);
    apply(r);
    ImageRemoval done =
        await(cluster, "noagent", Duration.ofSeconds(30), phase(RemovalPhase.Failed));
    assertThat(node(done, "n2").getReason()).isEqualTo(NodeFailureReason.AgentUnavailable);
    assertThat(node(done, "n1").getPhase()).isEqualTo(RemovalPhase.Succeeded);
  }

  /**
   * An object someone else made under the name of a node's part: the operator never takes it over
   * or patches it, and gives the node's part a name with the removal's UID; both nodes run.
   */
  @Test
  void aForeignObjectUnderAChildsNameIsNeverTouched() {
    for (String n : List.of("n1", "n2")) cluster.startAgent(n, docsNode(false), 16);
    NodeImageRemoval foreign =
        ClusterFixtures.nodeRemoval(NodeLabel.childName("squat", "n2"), "elsewhere", "foreign:1");
    cluster.client().resource(foreign).create();

    ImageRemoval r = removal("squat", List.of("test1:latest"));
    r.getSpec().setNodeNames(List.of("n1", "n2"));
    ImageRemoval created = apply(r);
    ImageRemoval done =
        await(cluster, "squat", Duration.ofSeconds(30), phase(RemovalPhase.Succeeded));
    assertThat(done.getStatus().getSummary().getNodesSucceeded()).isEqualTo(2);
    NodeImageRemoval after =
        cluster
            .client()
            .resources(NodeImageRemoval.class)
            .withName(foreign.getMetadata().getName())
            .get();
    assertThat(after.getSpec().getNodeName()).isEqualTo("elsewhere");
    assertThat(after.getSpec().getImages()).containsExactly("foreign:1");
    assertThat(after.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(childrenOf("squat"))
        .extracting(c -> c.getMetadata().getName())
        .contains(
            NodeLabel.childName("squat", "n1"),
            NodeLabel.childName("squat", "n2")
                + "-"
                + created.getMetadata().getUid().replace("-", "").substring(0, 12));
  }

  /**
   * A NodeImageRemoval for the node that no ImageRemoval controls (made past the operator, which
   * validates): the agent never runs it, and goes on running the operator's.
   */
  @Test
  void theAgentIgnoresANodeRemovalNoImageRemovalControls() throws InterruptedException {
    SimulatedEngine engine = docsNode(false);
    cluster.startAgent("n1", engine, 16);
    NodeImageRemoval forged = ClusterFixtures.nodeRemoval("forged-n1", "n1", "test1:latest");
    forged.getSpec().setForce(true);
    cluster.client().resource(forged).create();

    ImageRemoval r = removal("after-forged", List.of("test2:latest"));
    r.getSpec().setNodeNames(List.of("n1"));
    apply(r);
    await(cluster, "after-forged", Duration.ofSeconds(30), phase(RemovalPhase.Succeeded));
    NodeImageRemoval untouched =
        cluster.client().resources(NodeImageRemoval.class).withName("forged-n1").get();
    assertThat(untouched.getStatus() == null ? null : untouched.getStatus().getPhase())
        .as("the forged object was never run")
        .isNull();
    assertThat(engine.store().referencesOf(ClusterFixtures.ID))
        .extracting(Object::toString)
        .contains("docker.io/library/test1:latest")
        .doesNotContain("docker.io/library/test2:latest");
  }

  @ParameterizedTest
  @EnumSource(BuggyEngine.Bug.class)
  void aBugInARunFailsItWithEngineErrorOnceAndTheNodesNextRunStillRuns(BuggyEngine.Bug bug) {
    BuggyEngine engine = new BuggyEngine(docsNode(false), "test1:latest", bug);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    cluster.startAgent("n1", engine, 16, new AgentMetrics(registry, engine));
    ImageRemoval failing = removal("a-failing", List.of("test1:latest"));
    failing.getSpec().setNodeNames(List.of("n1"));
    apply(failing);
    ImageRemoval failed =
        await(cluster, "a-failing", Duration.ofSeconds(30), phase(RemovalPhase.Failed));
    assertThat(node(failed, "n1").getReason()).isEqualTo(NodeFailureReason.EngineError);
    assertThat(node(failed, "n1").getMessage())
        .startsWith("the agent failed unexpectedly: java.lang.")
        .contains(bug == BuggyEngine.Bug.STACK_OVERFLOW ? "StackOverflowError" : "a bug on");

    ImageRemoval later = removal("b-later", List.of("test2:latest"));
    later.getSpec().setNodeNames(List.of("n1"));
    apply(later);
    ImageRemoval done = await(cluster, "b-later", Duration.ofSeconds(30), finished());
    assertThat(done.getStatus().getPhase()).isEqualTo(RemovalPhase.Succeeded);
    assertThat(node(done, "n1").getResults().get(0).getUntagged()).containsExactly("test2:latest");
    assertThat(engine.failures.get()).as("the failed run is not run again").isEqualTo(1);
    assertThat(registry.get("kube_rmi_agent_run_failures").counter().count()).isEqualTo(1);
  }

  /**
   * A worker wedged in a prune's selection, outside any engine removal, turns /healthz to 503 once
   * the selection's limit has passed, so the kubelet restarts the agent.
   */
  @Test
  void aWorkerStalledInAPrunesSelectionTurnsHealthzTo503() throws Exception {
    StallingEngine engine = new StallingEngine(docsNode(false));
    MutableClock clock = new MutableClock(Instant.now());
    Watchdog watchdog = new Watchdog(clock);
    cluster.startAgent("n1", engine, watchdog);
    ImageRemoval r = removal("stalls", List.of());
    r.getSpec().setImages(new ArrayList<>());
    r.getSpec().setPrune(new PruneSpec());
    r.getSpec().setNodeNames(List.of("n1"));
    apply(r);
    assertThat(engine.stalled.await(30, TimeUnit.SECONDS)).as("the selection began").isTrue();
    // The Running status is written by then, so the only step left open is the selection.
    await(
        cluster,
        "stalls",
        Duration.ofSeconds(30),
        x ->
            x.getStatus() != null
                && x.getStatus().getNodes().stream()
                    .anyMatch(n -> n.getPhase() == RemovalPhase.Running));
    try (HealthServer health =
        new HealthServer(0, Metrics.registry(), Optional::empty, watchdog::stalled)) {
      URI healthz = URI.create("http://127.0.0.1:" + health.port() + "/healthz");
      HttpClient http = HttpClient.newHttpClient();
      assertThat(
              http.send(HttpRequest.newBuilder(healthz).build(), BodyHandlers.ofString())
                  .statusCode())
          .as("within the limit")
          .isEqualTo(200);
      clock.advance(Duration.ofMinutes(4));
      HttpResponse<String> stalled =
          http.send(HttpRequest.newBuilder(healthz).build(), BodyHandlers.ofString());
      assertThat(stalled.statusCode()).isEqualTo(503);
      assertThat(stalled.body())
          .startsWith("not live: the prune selection of stalls-n1-")
          .contains("limit");
      engine.release();
      await(cluster, "stalls", Duration.ofSeconds(30), phase(RemovalPhase.Succeeded));
      assertThat(
              http.send(HttpRequest.newBuilder(healthz).build(), BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    if (!poll(condition::getAsBoolean, met -> met, Duration.ofSeconds(30)))
      throw new AssertionError("timed out waiting for " + what);
  }

  @Test
  void aNodeDeletedMidRunIsNodeGone() {
    cluster.startAgent("n1", docsNode(false), 16);
    ImageRemoval r = removal("gone", List.of("test1:latest"));
    r.getSpec().setNodeNames(List.of("n1", "n3"));
    apply(r);
    await(
        cluster,
        "gone",
        Duration.ofSeconds(30),
        x -> x.getStatus() != null && x.getStatus().getNodes().size() == 2);
    cluster.client().resources(Node.class).withName("n3").delete();
    ImageRemoval done = await(cluster, "gone", Duration.ofSeconds(30), phase(RemovalPhase.Failed));
    assertThat(node(done, "n3").getReason()).isEqualTo(NodeFailureReason.NodeGone);
  }

  @Test
  void ttlDeletesTheRemovalAndItsChildren() {
    for (String n : List.of("n1", "n2", "n3")) cluster.startAgent(n, docsNode(false), 16);
    ImageRemoval r = removal("ttl", List.of("test1:latest"));
    r.getSpec().setTtlSecondsAfterFinished(1);
    apply(r);
    await(cluster, "ttl", Duration.ofSeconds(30), phase(RemovalPhase.Succeeded));
    assertThat(
            poll(
                () -> cluster.client().resources(ImageRemoval.class).withName("ttl").get(),
                Objects::isNull,
                Duration.ofSeconds(20)))
        .isNull();
    assertThat(cluster.client().resources(NodeImageRemoval.class).list().getItems()).isEmpty();
  }

  /**
   * Deleting an ImageRemoval deletes its NodeImageRemovals through the API server's garbage
   * collector, by their controller ownerReference: the operator is stopped first, so nothing of
   * kube-rmi's takes part.
   */
  @Test
  void theGarbageCollectorDeletesTheChildrenOfADeletedRemoval() {
    for (String n : List.of("n1", "n2", "n3")) cluster.startAgent(n, docsNode(false), 16);
    apply(removal("gc", List.of("test1:latest")));
    await(cluster, "gc", Duration.ofSeconds(30), phase(RemovalPhase.Succeeded));
    List<NodeImageRemoval> children = childrenOf("gc");
    assertThat(children).hasSize(3);
    assertThat(children)
        .allSatisfy(
            c ->
                assertThat(c.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(o -> assertThat(o.getController()).isTrue()));
    cluster.stopOperator();

    cluster.client().resources(ImageRemoval.class).withName("gc").delete();
    assertThat(poll(() -> childrenOf("gc"), List::isEmpty, Duration.ofSeconds(30)))
        .as("children left by the garbage collector")
        .isEmpty();
  }

  private List<NodeImageRemoval> childrenOf(String removal) {
    return cluster
        .client()
        .resources(NodeImageRemoval.class)
        .withLabel(KubeRmi.LABEL_REMOVAL, removal)
        .list()
        .getItems();
  }

  @Test
  void aDryRunReportsAndChangesNothing() {
    SimulatedEngine engine = docsNode(false);
    cluster.startAgent("n1", engine, 16);
    ImageRemoval r = removal("dry", List.of("fd484f19954f"));
    r.getSpec().setForce(true);
    r.getSpec().setDryRun(true);
    r.getSpec().setNodeNames(List.of("n1"));
    apply(r);
    ImageRemoval done =
        await(cluster, "dry", Duration.ofSeconds(30), phase(RemovalPhase.Succeeded));
    assertThat(node(done, "n1").getDryRun()).isTrue();
    assertThat(node(done, "n1").getResults().get(0).getDeleted()).contains(ClusterFixtures.ID);
    assertThat(engine.store().image(ClusterFixtures.ID)).as("still there").isNotNull();
    assertThat(engine.store().referencesOf(ClusterFixtures.ID)).hasSize(3);
  }

  @Test
  void anAgentKilledMidRunIsFinishedByItsSuccessorWithNothingLostOrDoubled() throws Exception {
    ImageStoreModel store = new ImageStoreModel();
    List<String> images = new ArrayList<>();
    IntStream.range(0, 6)
        .forEach(
            i -> {
              String id = "sha256:" + String.format("%064x", i + 1);
              store.addImage(
                  new StoredImage(
                      id, null, List.of("sha256:" + String.format("%064x", 100 + i)), 10));
              store.addReference(ClusterFixtures.ref("img" + i + ":1"), id);
              images.add("img" + i + ":1");
            });
    BlockingEngine dying =
        new BlockingEngine(new SimulatedEngine(store, ProtectedImages.none()), 3);
    cluster.startAgent("n1", dying, 2);
    ImageRemoval r = removal("restart", images);
    r.getSpec().setNodeNames(List.of("n1"));
    apply(r);
    assertThat(dying.hanging.await(20, TimeUnit.SECONDS)).isTrue();
    // Status writes are batched by time: wait for the two finished chunks to be written.
    NodeImageRemoval half =
        poll(
            () ->
                cluster
                    .client()
                    .resources(NodeImageRemoval.class)
                    .withName(NodeLabel.childName("restart", "n1"))
                    .get(),
            h -> h.getStatus() != null && h.getStatus().getResults().size() == 4,
            Duration.ofSeconds(10));
    cluster.stopAgent("n1"); // the process is gone; its engine call never returns
    assertThat(half.getStatus().getPhase()).isEqualTo(RemovalPhase.Running);
    assertThat(half.getStatus().getResults()).hasSize(4);

    cluster.startAgent("n1", new SimulatedEngine(store, ProtectedImages.none()), 2);
    ImageRemoval done =
        await(cluster, "restart", Duration.ofSeconds(30), phase(RemovalPhase.Succeeded));
    List<ImageResult> results = node(done, "n1").getResults();
    assertThat(results).extracting(ImageResult::getImage).containsExactlyElementsOf(images);
    assertThat(results).allSatisfy(x -> assertThat(x.getOutcome()).isEqualTo(Outcome.Removed));
    assertThat(store.images()).isEmpty();
  }

  @Test
  void aPruneWhoseAgentWasKilledMidRunReportsEveryImageOnce() throws Exception {
    ImageStoreModel store = new ImageStoreModel();
    List<String> ids = new ArrayList<>();
    IntStream.range(0, 6)
        .forEach(
            i -> {
              String id = "sha256:" + String.format("%064x", i + 1);
              store.addImage(
                  new StoredImage(
                      id, null, List.of("sha256:" + String.format("%064x", 100 + i)), 10));
              ids.add(id); // no reference: dangling
            });
    store.addImage(
        new StoredImage("sha256:" + "f".repeat(64), null, List.of("sha256:" + "e".repeat(64)), 10));
    store.addReference(ClusterFixtures.ref("tagged:1"), "sha256:" + "f".repeat(64));
    BlockingEngine dying =
        new BlockingEngine(new SimulatedEngine(store, ProtectedImages.none()), 3);
    cluster.startAgent("n1", dying, 2);
    ImageRemoval r = removal("prune-restart", List.of());
    r.getSpec().setImages(new ArrayList<>());
    r.getSpec().setPrune(new PruneSpec());
    r.getSpec().setNodeNames(List.of("n1"));
    apply(r);
    assertThat(dying.hanging.await(20, TimeUnit.SECONDS)).isTrue();
    NodeImageRemoval half =
        poll(
            () ->
                cluster
                    .client()
                    .resources(NodeImageRemoval.class)
                    .withName(NodeLabel.childName("prune-restart", "n1"))
                    .get(),
            h -> h.getStatus() != null && h.getStatus().getResults().size() == 4,
            Duration.ofSeconds(10));
    cluster.stopAgent("n1"); // its in-memory journal goes with it: the successor has the status
    assertThat(half.getStatus().getResults()).hasSize(4);

    cluster.startAgent("n1", new SimulatedEngine(store, ProtectedImages.none()), 2);
    ImageRemoval done =
        await(cluster, "prune-restart", Duration.ofSeconds(30), phase(RemovalPhase.Succeeded));
    List<ImageResult> results = node(done, "n1").getResults();
    assertThat(results).extracting(ImageResult::getImage).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(results)
        .allSatisfy(
            x -> {
              assertThat(x.getOutcome()).isEqualTo(Outcome.Removed);
              assertThat(x.getDeleted()).hasSize(2).startsWith(x.getImage());
            });
    assertThat(store.images())
        .extracting(StoredImage::id)
        .containsExactly("sha256:" + "f".repeat(64));
  }

  /**
   * A prune of 5,000 images of ten layers each (about 4.5 MB of results, three times what etcd
   * holds in one object): the node's status lists what fits in its budget, counts every result
   * exactly, and the run finishes.
   */
  @Test
  void aPruneOfFiveThousandImagesKeepsTheStatusBoundedAndItsCountsExact() {
    int images = 5000;
    ImageStoreModel store = new ImageStoreModel();
    for (int i = 0; i < images; i++) {
      List<String> layers = new ArrayList<>();
      for (int l = 0; l < 10; l++)
        layers.add("sha256:" + String.format("%064x", 100_000 + i * 10L + l));
      store.addImage(new StoredImage("sha256:" + String.format("%064x", i + 1), null, layers, 10));
    }
    cluster.startAgent("n1", new SimulatedEngine(store, ProtectedImages.none()));
    ImageRemoval r = removal("five-thousand", List.of());
    r.getSpec().setImages(new ArrayList<>());
    r.getSpec().setPrune(new PruneSpec());
    r.getSpec().setNodeNames(List.of("n1"));
    apply(r);

    ImageRemoval done =
        await(cluster, "five-thousand", Duration.ofSeconds(120), phase(RemovalPhase.Succeeded));
    assertThat(store.images()).isEmpty();
    NodeImageRemoval child =
        cluster
            .client()
            .resources(NodeImageRemoval.class)
            .withName(NodeLabel.childName("five-thousand", "n1"))
            .get();
    int statusBytes = Serialization.asJson(child.getStatus()).length();
    assertThat(statusBytes).isLessThan(KubeRmi.NODE_RESULTS_BYTES + 4096);
    int listed = child.getStatus().getResults().size();
    assertThat(listed).isBetween(100, images - 1);
    assertThat(child.getStatus().getResultsOmitted()).isEqualTo(images - listed);
    assertThat(child.getStatus().getResultCounts().getImages()).isEqualTo(images);
    assertThat(child.getStatus().getResultCounts().getDeleted()).isEqualTo(images * 11L);
    assertThat(done.getStatus().getSummary().getDeleted()).isEqualTo(images * 11L);
    assertThat(node(done, "n1").getResultsOmitted()).isEqualTo(images - listed);
  }

  /**
   * A dry run's nodes and summary say how many bytes the removal would free, and the real run on
   * the same store then reports freeing exactly that.
   */
  @Test
  void aDryRunReportsTheBytesTheRealRunThenFrees() {
    for (String n : List.of("n1", "n2")) cluster.startAgent(n, docsNode(false), 16);
    List<String> all = List.of("test1:latest", "test2:latest", "test:latest");
    ImageRemoval preview = removal("preview", all);
    preview.getSpec().setDryRun(true);
    preview.getSpec().setNodeNames(List.of("n1", "n2"));
    apply(preview);
    ImageRemoval previewed =
        await(cluster, "preview", Duration.ofSeconds(30), phase(RemovalPhase.Succeeded));
    long predicted = previewed.getStatus().getSummary().getReclaimedBytes();
    assertThat(predicted).as("the image's layer on each of two nodes").isEqualTo(2_000_000L);

    ImageRemoval real = removal("real", all);
    real.getSpec().setNodeNames(List.of("n1", "n2"));
    apply(real);
    ImageRemoval done =
        await(cluster, "real", Duration.ofSeconds(30), phase(RemovalPhase.Succeeded));
    assertThat(done.getStatus().getSummary().getReclaimedBytes()).isEqualTo(predicted);
  }
}
