package io.kubermi.agent.engine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.api.reference.DockerReference;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependencyGroupsTest {
  static final String A = "sha256:aa11" + "0".repeat(60);
  static final String A2 = "sha256:aa22" + "0".repeat(60);
  static final String B = "sha256:bb11" + "0".repeat(60);
  static final String C = "sha256:cc11" + "0".repeat(60);

  private final ImageStoreModel store = new ImageStoreModel();

  private void image(String id, String parent, List<String> layers, String... refs)
      throws Exception {
    store.addImage(new StoredImage(id, parent, layers, 1));
    for (String r : refs) store.addReference(DockerReference.parseNormalizedNamed(r), id);
  }

  @Test
  void unrelatedImagesAreSeparateGroupsAndArgumentOrderIsKept() throws Exception {
    image(A, null, List.of("l1"), "a:1", "a:2");
    image(B, null, List.of("l2"), "b:1");
    assertThat(DependencyGroups.of(store, List.of("a:1", "b:1", "a:2", "nothere")))
        .containsExactly(List.of(0, 2), List.of(1), List.of(3));
  }

  @Test
  void ambiguousPrefixJoinsEveryImageItCouldResolveTo() throws Exception {
    image(A, null, List.of("l1"), "a:1");
    image(A2, null, List.of("l2"), "x:1");
    image(B, null, List.of("l3"), "b:1");
    assertThat(DependencyGroups.of(store, List.of("a:1", "aa", "x:1", "b:1")))
        .containsExactly(List.of(0, 1, 2), List.of(3));
  }

  @Test
  void parentsChildrenAndSharedLayersJoin() throws Exception {
    image(A, null, List.of("l1"), "p:1");
    image(B, A, List.of("l1", "l2"), "c:1");
    image(C, null, List.of("l9", "shared"), "s:1");
    image(A2, null, List.of("shared"), "t:1");
    assertThat(DependencyGroups.of(store, List.of("c:1", "s:1", "p:1", "t:1")))
        .containsExactly(List.of(0, 2), List.of(1, 3));
  }
}
