package io.kubermi.agent.engine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredContainer;
import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.api.ImageResult;
import io.kubermi.api.prune.LabelFilter;
import io.kubermi.api.prune.PruneFilters;
import io.kubermi.api.reference.DockerReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docker image prune's corners on hand-built stores, each as seen on the 20.10 daemon (see
 * docs/semantics.md §12): selection, then the removals on the rmi planner.
 */
class PruneSelectionTest {
  static final String P = "sha256:" + "a".repeat(64);
  static final String C = "sha256:" + "b".repeat(64);
  static final String D = "sha256:" + "c".repeat(64);
  static final String E = "sha256:" + "d".repeat(64);
  static final String L1 = "sha256:" + "1".repeat(64);
  static final String L2 = "sha256:" + "2".repeat(64);
  static final String L3 = "sha256:" + "3".repeat(64);
  static final String L4 = "sha256:" + "4".repeat(64);
  static final Instant OLD = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant NEW = Instant.parse("2026-06-01T00:00:00Z");

  private final ImageStoreModel store = new ImageStoreModel();

  private void image(
      String id,
      String parent,
      List<String> layers,
      Instant created,
      Map<String, String> labels,
      String... refs) {
    store.addImage(new StoredImage(id, parent, layers, 100, created, labels));
    for (String r : refs) store.addReference(ref(r), id);
  }

  private static DockerReference ref(String r) {
    try {
      return DockerReference.parseNormalizedNamed(r);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static PruneFilters dangling() {
    return new PruneFilters(true, null, List.of(), List.of());
  }

  private static PruneFilters all() {
    return new PruneFilters(false, null, List.of(), List.of());
  }

  /** The removals run on the planner, reported per image as the agent reports them. */
  private List<String> prune(PruneFilters filters) {
    List<PruneOp> ops = PruneSelection.plan(store, filters, id -> false);
    RmiPlanner planner = new RmiPlanner(store);
    List<ImageResult> answers = new ArrayList<>();
    for (PruneOp op : ops)
      answers.add(planner.remove(op.argument(), false, true).toResult(op.argument()));
    List<String> lines = new ArrayList<>();
    for (ImageResult r : PruneResults.of(ops, answers)) {
      r.getUntagged().forEach(u -> lines.add(r.getImage() + " untagged: " + u));
      r.getDeleted().forEach(d -> lines.add(r.getImage() + " deleted: " + d));
    }
    return lines;
  }

  @Test
  void danglingPruneTakesUntaggedHeadsAndDigestOnlyImagesButNotTaggedOnes() {
    image(P, null, List.of(L1), OLD, Map.of());
    image(C, null, List.of(L2), OLD, Map.of(), "localhost:5000/x@sha256:" + "e".repeat(64));
    image(D, null, List.of(L3), OLD, Map.of(), "tagged:1");
    assertThat(prune(dangling()))
        .containsExactlyInAnyOrder(
            P + " deleted: " + P,
            P + " deleted: " + L1,
            C + " untagged: localhost:5000/x@sha256:" + "e".repeat(64),
            C + " deleted: " + C,
            C + " deleted: " + L2);
  }

  @Test
  void anUntaggedParentGoesWithItsPrunedChildEvenWhenTheFiltersWouldNotTakeIt() {
    image(P, null, List.of(L1), NEW, Map.of()); // newer than until: not selected itself
    image(C, P, List.of(L1, L2), OLD, Map.of(), "child:1");
    List<String> lines =
        prune(new PruneFilters(false, Instant.parse("2026-03-01T00:00:00Z"), List.of(), List.of()));
    assertThat(lines)
        .containsExactly(
            C + " untagged: child:1",
            C + " deleted: " + C,
            C + " deleted: " + L2,
            C + " deleted: " + P,
            C + " deleted: " + L1);
  }

  @Test
  void anIntermediateImageIsNeverACandidateItself() {
    image(P, null, List.of(L1), OLD, Map.of());
    image(C, P, List.of(L1, L2), OLD, Map.of(), "child:1");
    store.addContainer(new StoredContainer("c1", C, true));
    assertThat(prune(all())).isEmpty();
  }

  @Test
  void anInUseImageWithTwoRepositoriesLosesTheTagWhoseFullNameSortsFirst() {
    image(D, null, List.of(L3), OLD, Map.of(), "zeta/app:1", "alpha:1");
    store.addContainer(new StoredContainer("c1", D, true));
    assertThat(prune(all())).containsExactly(D + " untagged: alpha:1");
    assertThat(store.referencesOf(D)).containsExactly(ref("zeta/app:1"));
  }

  @Test
  void underAllATaggedParentWhoseChildIsInUseLosesItsTagAndStays() {
    image(P, null, List.of(L1), OLD, Map.of(), "parent:1");
    image(C, P, List.of(L1, L2), OLD, Map.of(), "child:1");
    store.addContainer(new StoredContainer("c1", C, false));
    assertThat(prune(all())).containsExactly(P + " untagged: parent:1");
    assertThat(store.image(P)).isNotNull();
  }

  @Test
  void labelFiltersAllMustMatchAndLabelNotExcludesOnlyWhenAllOfThemMatch() {
    image(P, null, List.of(L1), OLD, Map.of("a", "1", "b", "2"), "ab:1");
    image(C, null, List.of(L2), OLD, Map.of("a", "1"), "a:1");
    image(D, null, List.of(L3), OLD, Map.of(), "none:1");
    image(E, null, List.of(L4), OLD, Map.of("a", "2"), "a2:1");
    List<LabelFilter> aAndB = List.of(LabelFilter.parse("a"), LabelFilter.parse("b"));
    assertThat(
            PruneSelection.plan(
                store, new PruneFilters(false, null, aAndB, List.of()), id -> false))
        .extracting(PruneOp::imageId)
        .containsExactly(P);
    assertThat(
            PruneSelection.plan(
                store, new PruneFilters(false, null, List.of(), aAndB), id -> false))
        .extracting(PruneOp::imageId)
        .containsExactly(C, D, E);
    assertThat(
            PruneSelection.plan(
                store,
                new PruneFilters(false, null, List.of(LabelFilter.parse("a=1")), List.of()),
                id -> false))
        .extracting(PruneOp::imageId)
        .containsExactly(P, C);
  }

  @Test
  void untouchableImagesAreNeverSelected() {
    image(P, null, List.of(L1), OLD, Map.of());
    image(C, null, List.of(L2), OLD, Map.of());
    assertThat(PruneSelection.plan(store, dangling(), P::equals))
        .extracting(PruneOp::imageId)
        .containsExactly(C);
  }
}
