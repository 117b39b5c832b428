package io.kubermi.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalStatus;
import io.kubermi.api.ImageResult;
import io.kubermi.api.NodeFailureReason;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeImageRemovalSpec;
import io.kubermi.api.NodeImageRemovalStatus;
import io.kubermi.api.NodeResult;
import io.kubermi.api.Outcome;
import io.kubermi.api.RemovalPhase;
import io.kubermi.operator.status.StatusAggregator;
import io.kubermi.operator.targeting.NodeTargeting;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private static final String CONFLICT =
      "conflict: unable to delete fd484f19954f (must be forced) - image is referenced in multiple repositories";

  private static NodeImageRemoval child(
      String node, RemovalPhase phase, List<ImageResult> results) {
    NodeImageRemoval c = new NodeImageRemoval();
    c.getMetadata().setName("r-" + node);
    NodeImageRemovalSpec spec = new NodeImageRemovalSpec();
    spec.setNodeName(node);
    spec.setRemovalGeneration(1L);
    c.setSpec(spec);
    NodeImageRemovalStatus s = new NodeImageRemovalStatus();
    s.setObservedGeneration(1L);
    s.setPhase(phase);
    s.setEngine("containerd 1.7.27");
    if (phase == RemovalPhase.Failed) s.setReason(NodeFailureReason.Conflict);
    s.setResults(results);
    c.setStatus(s);
    return c;
  }

  private static ImageRemoval removal(int images) {
    List<String> refs = new ArrayList<>();
    for (int i = 0; i < images; i++)
      refs.add("registry.example.com/team/service-" + i + ":2026.11." + i);
    ImageRemoval r = TestRemovals.removal("big", refs);
    r.getMetadata().setGeneration(1L);
    return r;
  }

  @Test
  void statusStaysSmallAtFiveThousandNodesAndNamesFailuresFirst() throws Exception {
    int nodes = 5000;
    ImageRemoval removal = removal(4);
    Map<String, NodeImageRemoval> children = new HashMap<>();
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < nodes; i++) {
      String node = String.format("ip-10-0-%d-%d.eu-west-1.compute.internal", i / 250, i % 250);
      names.add(node);
      boolean failed = i % 50 == 7; // 100 failed nodes
      List<ImageResult> results = new ArrayList<>();
      for (String image : removal.getSpec().getImages()) {
        results.add(
            failed && image.endsWith(".0")
                ? new ImageResult(image, Outcome.Conflict, List.of(), List.of(), CONFLICT)
                : new ImageResult(
                    image,
                    Outcome.Removed,
                    List.of(image.substring(0, image.indexOf(':')) + ":tag"),
                    List.of("sha256:" + "ab".repeat(32), "sha256:" + "cd".repeat(32)),
                    null));
      }
      children.put(
          node, child(node, failed ? RemovalPhase.Failed : RemovalPhase.Succeeded, results));
    }
    StatusAggregator.Result result =
        StatusAggregator.compute(
            removal, new NodeTargeting.Targets(names, Set.of()), children, names, T0);
    removal.setStatus(result.status());
    byte[] serialized = new ObjectMapper().writeValueAsBytes(removal);
    System.out.printf(
        "status at %d nodes: %d bytes serialized, %d nodes listed, %d omitted%n",
        nodes,
        serialized.length,
        result.status().getNodes().size(),
        result.status().getNodesOmitted());

    assertThat(serialized.length).isLessThan(512 * 1024);
    assertThat(result.status().getSummary().getNodesTotal()).isEqualTo(5000);
    assertThat(result.status().getSummary().getNodesFailed()).isEqualTo(100);
    assertThat(result.status().getSummary().getConflicts()).isEqualTo(100);
    assertThat(result.status().getPhase()).isEqualTo(RemovalPhase.Failed);
    List<NodeResult> listed = result.status().getNodes();
    assertThat(listed.subList(0, 100))
        .allSatisfy(n -> assertThat(n.getPhase()).isEqualTo(RemovalPhase.Failed));
    assertThat(listed.subList(0, 100))
        .extracting(NodeResult::getName)
        .containsExactlyInAnyOrderElementsOf(
            children.values().stream()
                .filter(c -> c.getStatus().getPhase() == RemovalPhase.Failed)
                .map(c -> c.getSpec().getNodeName())
                .toList());
    assertThat(listed.size() + result.status().getNodesOmitted()).isEqualTo(5000);
  }

  /** Each node's figure is its agent's word: huge or negative ones neither wrap nor subtract. */
  @Test
  void reclaimedBytesSaturateInsteadOfOverflowing() {
    ImageRemoval removal = removal(1);
    Set<String> nodes = new TreeSet<>(List.of("a", "b", "c"));
    Map<String, NodeImageRemoval> children = new HashMap<>();
    for (String node : nodes) children.put(node, child(node, RemovalPhase.Succeeded, List.of()));
    children.get("a").getStatus().setReclaimedBytes(Long.MAX_VALUE - 10);
    children.get("b").getStatus().setReclaimedBytes(Long.MAX_VALUE - 10);
    children.get("c").getStatus().setReclaimedBytes(-5L);
    StatusAggregator.Result result =
        StatusAggregator.compute(
            removal, new NodeTargeting.Targets(nodes, Set.of()), children, nodes, T0);
    assertThat(result.status().getSummary().getReclaimedBytes()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void deadlinesTellAgentUnavailableFromTimeoutAndWakeUpAtTheDeadline() {
    ImageRemoval removal = removal(1);
    removal.getSpec().setNodeTimeoutSeconds(60);
    Set<String> nodes = new TreeSet<>(List.of("a", "b", "c"));
    Map<String, NodeImageRemoval> children = new HashMap<>();
    children.put("a", child("a", RemovalPhase.Running, List.of()));
    children.put("c", child("c", RemovalPhase.Succeeded, List.of()));
    StatusAggregator.Result before =
        StatusAggregator.compute(
            removal, new NodeTargeting.Targets(nodes, Set.of()), children, nodes, T0);
    assertThat(before.status().getPhase()).isEqualTo(RemovalPhase.Running);
    assertThat(before.nextWakeUp()).contains(T0.plusSeconds(60));
    removal.setStatus(before.status());

    StatusAggregator.Result after =
        StatusAggregator.compute(
            removal,
            new NodeTargeting.Targets(nodes, Set.of()),
            children,
            nodes,
            T0.plusSeconds(61));
    Map<String, NodeResult> byName = new HashMap<>();
    after.status().getNodes().forEach(n -> byName.put(n.getName(), n));
    assertThat(byName.get("a").getReason()).isEqualTo(NodeFailureReason.Timeout);
    assertThat(byName.get("b").getReason()).isEqualTo(NodeFailureReason.AgentUnavailable);
    assertThat(byName.get("c").getPhase()).isEqualTo(RemovalPhase.Succeeded);
    assertThat(after.status().getPhase()).isEqualTo(RemovalPhase.Failed);
    assertThat(after.status().getStartedAt()).isEqualTo(T0.toString());
    assertThat(after.status().getFinishedAt()).isEqualTo(T0.plusSeconds(61).toString());
  }

  @Test
  void maxFailedNodesIsABudgetCountedAgainstTheTargetedNodes() {
    Set<String> nodes = new TreeSet<>();
    Map<String, NodeImageRemoval> children = new HashMap<>();
    for (int i = 0; i < 10; i++) {
      String n = "n" + i;
      nodes.add(n);
      children.put(n, child(n, i < 2 ? RemovalPhase.Failed : RemovalPhase.Succeeded, List.of()));
    }
    ImageRemoval removal = removal(1);
    Map<IntOrString, RemovalPhase> expected = new LinkedHashMap<>();
    expected.put(null, RemovalPhase.Failed);
    expected.put(new IntOrString(1), RemovalPhase.Failed);
    expected.put(new IntOrString(2), RemovalPhase.Succeeded);
    expected.put(new IntOrString("19%"), RemovalPhase.Failed); // 1.9 nodes: rounded down to 1
    expected.put(new IntOrString("20%"), RemovalPhase.Succeeded);
    for (var e : expected.entrySet()) {
      removal.getSpec().setMaxFailedNodes(e.getKey());
      ImageRemovalStatus s =
          StatusAggregator.compute(
                  removal, new NodeTargeting.Targets(nodes, Set.of()), children, nodes, T0)
              .status();
      assertThat(s.getPhase()).as("maxFailedNodes %s", e.getKey()).isEqualTo(e.getValue());
      assertThat(s.getSummary().getNodesFailed()).isEqualTo(2);
      assertThat(s.getNodes().get(0).getPhase())
          .as("failed nodes listed first")
          .isEqualTo(RemovalPhase.Failed);
    }
    removal.getSpec().setMaxFailedNodes(new IntOrString(2));
    ImageRemovalStatus ok =
        StatusAggregator.compute(
                removal, new NodeTargeting.Targets(nodes, Set.of()), children, nodes, T0)
            .status();
    assertThat(ok.getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Ready");
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getMessage())
                  .isEqualTo("2 of 10 nodes failed, 2 allowed by spec.maxFailedNodes");
            });

    // Over the budget while others still run: Running, not Failed, until every node finished.
    children.put("n9", child("n9", RemovalPhase.Running, List.of()));
    children.put("n8", child("n8", RemovalPhase.Failed, List.of()));
    assertThat(
            StatusAggregator.compute(
                    removal, new NodeTargeting.Targets(nodes, Set.of()), children, nodes, T0)
                .status()
                .getPhase())
        .isEqualTo(RemovalPhase.Running);
  }

  @Test
  void conditionTransitionTimesChangeOnlyWithTheirStatus() {
    ImageRemoval removal = removal(1);
    Set<String> nodes = new TreeSet<>(List.of("a"));
    Map<String, NodeImageRemoval> running =
        Map.of("a", child("a", RemovalPhase.Running, List.of()));
    StatusAggregator.Result first =
        StatusAggregator.compute(
            removal, new NodeTargeting.Targets(nodes, Set.of()), running, nodes, T0);
    removal.setStatus(first.status());
    StatusAggregator.Result second =
        StatusAggregator.compute(
            removal, new NodeTargeting.Targets(nodes, Set.of()), running, nodes, T0.plusSeconds(5));
    assertThat(second.status().getConditions())
        .allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo(T0.toString()));
    removal.setStatus(second.status());
    Map<String, NodeImageRemoval> done = Map.of("a", child("a", RemovalPhase.Succeeded, List.of()));
    StatusAggregator.Result third =
        StatusAggregator.compute(
            removal, new NodeTargeting.Targets(nodes, Set.of()), done, nodes, T0.plusSeconds(9));
    assertThat(third.status().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Ready");
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getLastTransitionTime()).isEqualTo(T0.plusSeconds(9).toString());
            });
    assertThat(third.status().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Stalled");
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getLastTransitionTime()).isEqualTo(T0.toString());
            });
  }
}
