package io.kubermi.agent.engine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredContainer;
import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.api.reference.DockerReference;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules on hand-built stores: the scenarios of docs/semantics.md §11 in pure form, with
 * docker's exact lines.
 */
class RmiPlannerTest {
  static final String A = "sha256:fd484f19954f4b6c5a2f4ab6c2a5e1d6f0e9b2a1c3d4e5f60718293a4b5c6d7e";
  static final String B = "sha256:7843aaaa954f4b6c5a2f4ab6c2a5e1d6f0e9b2a1c3d4e5f60718293a4b5c6d7e";
  static final String C = "sha256:7843bbbb954f4b6c5a2f4ab6c2a5e1d6f0e9b2a1c3d4e5f60718293a4b5c6d7e";
  static final String L1 =
      "sha256:1111111111111111111111111111111111111111111111111111111111111111";
  static final String L2 =
      "sha256:2222222222222222222222222222222222222222222222222222222222222222";
  static final String L3 =
      "sha256:3333333333333333333333333333333333333333333333333333333333333333";
  static final String DIGEST =
      "sha256:cbbf2f9a99b47fc460d422812b6a5adff7dfee951d8fa2e4a98caa0382cfbdbf";
  static final String CONTAINER =
      "0123456789ab0123456789ab0123456789ab0123456789ab0123456789abcdef";

  private final ImageStoreModel store = new ImageStoreModel();

  private void image(String id, String parent, List<String> layers, String... refs) {
    store.addImage(new StoredImage(id, parent, layers, 100));
    for (String r : refs) {
      store.addReference(ref(r), id);
    }
  }

  private static DockerReference ref(String r) {
    try {
      return DockerReference.parseNormalizedNamed(r);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private List<String> rmi(String input, boolean force, boolean prune) {
    RmiResponse r = new RmiPlanner(store).remove(input, force, prune);
    return r.isOk()
        ? r.items().stream().map(RmiItem::line).toList()
        : List.of(r.status() + " " + r.message());
  }

  @Test
  void onlyTagDeletesImageAndLayer() {
    image(A, null, List.of(L1), "a:1");
    assertThat(rmi("a:1", false, true))
        .containsExactly("Untagged: a:1", "Deleted: " + A, "Deleted: " + L1);
  }

  @Test
  void secondTagOnlyUntags() {
    image(A, null, List.of(L1), "a:1", "b:2");
    assertThat(rmi("a:1", false, true)).containsExactly("Untagged: a:1");
    assertThat(store.image(A)).isNotNull();
  }

  @Test
  void idWithSeveralRepositoriesNeedsForce() {
    image(A, null, List.of(L1), "test1:latest", "test2:latest", "test:latest");
    assertThat(rmi("fd484f19954f", false, true))
        .containsExactly(
            "409 conflict: unable to delete fd484f19954f (must be forced) - image is referenced in multiple repositories");
    assertThat(rmi("fd484f19954f", true, true))
        .containsExactly(
            "Untagged: test1:latest",
            "Untagged: test2:latest",
            "Untagged: test:latest",
            "Deleted: " + A,
            "Deleted: " + L1);
  }

  @Test
  void twoTagsOfOneRepositoryAlsoCountAsMultiple() {
    image(A, null, List.of(L1), "a:1", "a:2");
    assertThat(rmi("fd48", false, true))
        .singleElement()
        .asString()
        .endsWith("image is referenced in multiple repositories");
  }

  @Test
  void lastTagTakesDigestsOfItsRepositoryWithIt() {
    image(A, null, List.of(L1), "localhost:5000/d:1", "localhost:5000/d@" + DIGEST);
    assertThat(rmi("localhost:5000/d:1", false, true))
        .containsExactly(
            "Untagged: localhost:5000/d:1",
            "Untagged: localhost:5000/d@" + DIGEST,
            "Deleted: " + A,
            "Deleted: " + L1);
  }

  @Test
  void otherRepositoryKeepsTheImage() {
    image(A, null, List.of(L1), "localhost:5000/d:1", "localhost:5000/d@" + DIGEST, "e:1");
    assertThat(rmi("localhost:5000/d:1", false, true))
        .containsExactly("Untagged: localhost:5000/d:1", "Untagged: localhost:5000/d@" + DIGEST);
    assertThat(store.referencesOf(A)).containsExactly(ref("e:1"));
  }

  @Test
  void digestReferenceAloneOnlyUntagsItself() {
    image(A, null, List.of(L1), "localhost:5000/d:1", "localhost:5000/d@" + DIGEST);
    assertThat(rmi("localhost:5000/d@" + DIGEST, false, true))
        .containsExactly("Untagged: localhost:5000/d@" + DIGEST);
  }

  @Test
  void stoppedContainerConflictsUnlessForced() {
    image(A, null, List.of(L1), "a:1");
    store.addContainer(new StoredContainer(CONTAINER, A, false));
    assertThat(rmi("a:1", false, true))
        .containsExactly(
            "409 conflict: unable to remove repository reference \"a:1\" "
                + "(must force) - container 0123456789ab is using its referenced image fd484f19954f");
    assertThat(rmi(A, false, true))
        .containsExactly(
            "409 conflict: unable to delete fd484f19954f (must be forced) - image is being used by stopped container 0123456789ab");
    // The container still holds the layer: only the image goes.
    assertThat(rmi("a:1", true, true)).containsExactly("Untagged: a:1", "Deleted: " + A);
  }

  @Test
  void runningContainerCannotBeForcedButTagCanBeRemoved() {
    image(A, null, List.of(L1), "a:1");
    store.addContainer(new StoredContainer(CONTAINER, A, true));
    String hard =
        "409 conflict: unable to delete fd484f19954f (cannot be forced) - image is being used by running container 0123456789ab";
    assertThat(rmi(A, false, true)).containsExactly(hard);
    assertThat(rmi(A, true, true)).containsExactly(hard);
    assertThat(rmi("a:1", true, true)).containsExactly("Untagged: a:1");
    assertThat(store.image(A)).isNotNull();
  }

  @Test
  void parentWithChildIsKeptAndPrunedWithIt() {
    image(A, null, List.of(L1), "p:1");
    image(B, A, List.of(L1, L2), "c:1");
    assertThat(rmi(A, true, true))
        .containsExactly(
            "409 conflict: unable to delete fd484f19954f (cannot be forced) - image has dependent child images");
    assertThat(rmi("p:1", false, true)).containsExactly("Untagged: p:1");
    assertThat(rmi("c:1", false, true))
        .containsExactly(
            "Untagged: c:1", "Deleted: " + B, "Deleted: " + L2, "Deleted: " + A, "Deleted: " + L1);
  }

  @Test
  void noPruneKeepsTheUntaggedParent() {
    image(A, null, List.of(L1));
    image(B, A, List.of(L1, L2), "c:1");
    assertThat(rmi("c:1", false, false))
        .containsExactly("Untagged: c:1", "Deleted: " + B, "Deleted: " + L2);
    assertThat(store.image(A)).isNotNull();
  }

  @Test
  void sharedLayerStaysWhileAnotherImageHoldsIt() {
    image(A, null, List.of(L1, L2), "a:1");
    image(C, null, List.of(L1, L3), "b:1");
    assertThat(rmi("a:1", false, true))
        .containsExactly("Untagged: a:1", "Deleted: " + A, "Deleted: " + L2);
  }

  @Test
  void notFoundAndPrefixes() {
    image(A, null, List.of(L1), "a:1");
    image(B, null, List.of(L2), "b:1");
    image(C, null, List.of(L3), "c:1");
    assertThat(rmi("nothere", false, true)).containsExactly("404 No such image: nothere:latest");
    assertThat(rmi("7843", false, true)).containsExactly("404 No such image: 7843:latest");
    assertThat(rmi("sha256:7843a", false, true)).contains("Untagged: b:1");
    assertThat(rmi("fd", false, true)).contains("Untagged: a:1");
    assertThat(rmi("sha256:" + "0".repeat(64), false, true))
        .containsExactly("404 No such image: sha256:" + "0".repeat(64));
  }

  @Test
  void tagLookupComesBeforeIdPrefix() {
    image(A, null, List.of(L1), "7843:latest");
    image(B, null, List.of(L2), "b:1");
    // "7843" names the tag 7843:latest (image A), and is not a prefix of A's ID: repository path.
    assertThat(rmi("7843", false, true))
        .containsExactly("Untagged: 7843:latest", "Deleted: " + A, "Deleted: " + L1);
  }

  @Test
  void malformedAndBlank() {
    assertThat(rmi("Busybox", false, true))
        .containsExactly("400 invalid reference format: repository name must be lowercase");
    assertThat(rmi("a?b", false, true)).containsExactly("400 invalid reference format");
    assertThat(rmi(" ", false, true)).containsExactly("400 image name cannot be blank");
  }

  @Test
  void untaggedItemsAreOrderedByNormalizedReference() {
    image(A, null, List.of(L1), "registry.example.com/a:1", "zz:1", "aa:1");
    assertThat(rmi(A, true, true))
        .startsWith("Untagged: aa:1", "Untagged: zz:1", "Untagged: registry.example.com/a:1");
  }
}
