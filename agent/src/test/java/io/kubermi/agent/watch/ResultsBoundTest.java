package io.kubermi.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.api.ImageResult;
import io.kubermi.api.NodeImageRemovalStatus;
import io.kubermi.api.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsBoundTest {
  private static ImageResult removed(int i) {
    return new ImageResult(
        "sha256:" + String.format("%064x", i),
        Outcome.Removed,
        List.of(),
        List.of("sha256:" + String.format("%064x", i)),
        null);
  }

  private static NodeImageRemovalStatus withResults(int n) {
    NodeImageRemovalStatus s = new NodeImageRemovalStatus();
    List<ImageResult> results = new ArrayList<>();
    for (int i = 0; i < n; i++) results.add(removed(i));
    results.add(new ImageResult("gone:1", Outcome.NotFound, List.of(), List.of(), "No such image"));
    s.setResults(results);
    return s;
  }

  @Test
  void resultsThatFitAreAllListedWithCounts() {
    NodeImageRemovalStatus s = ResultsBound.apply(withResults(3), 64 * 1024);
    assertThat(s.getResults()).hasSize(4);
    assertThat(s.getResultsOmitted()).isNull();
    assertThat(s.getResultCounts().getImages()).isEqualTo(4);
    assertThat(s.getResultCounts().getDeleted()).isEqualTo(3);
    assertThat(s.getResultCounts().getNotFound()).isEqualTo(1);
  }

  @Test
  void resultsPastTheBudgetAreCountedNotListed() {
    NodeImageRemovalStatus full = withResults(1000);
    NodeImageRemovalStatus s = ResultsBound.apply(full, 16 * 1024);
    // one result is about 180 bytes
    assertThat(s.getResults())
        .hasSizeBetween(50, 100)
        .isEqualTo(full.getResults().subList(0, s.getResults().size()));
    assertThat(s.getResultsOmitted()).isEqualTo(1001 - s.getResults().size());
    assertThat(s.getResultCounts().getImages()).isEqualTo(1001);
    assertThat(s.getResultCounts().getDeleted()).isEqualTo(1000);
    assertThat(full.getResults()).as("the caller's status is left whole").hasSize(1001);
  }

  @Test
  void unboundedListsEverything() {
    assertThat(ResultsBound.apply(withResults(5000), ResultsBound.UNBOUNDED).getResults())
        .hasSize(5001);
  }
}
