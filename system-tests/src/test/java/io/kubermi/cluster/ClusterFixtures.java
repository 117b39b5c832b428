package io.kubermi.cluster;

import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.agent.engine.store.StoredContainer;
import io.kubermi.agent.engine.store.StoredImage;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalSpec;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.NodeImageRemoval;
import io.kubermi.api.NodeImageRemovalSpec;
import io.kubermi.api.RemovalPhase;
import io.kubermi.api.reference.DockerReference;
import io.kubermi.cli.simulated.SimulatedEngine;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Helpers for cluster tests: simulated nodes, removals, waiting on status. */
public final class ClusterFixtures {
  public static final String ID =
      "sha256:fd484f19954f4b6c5a2f4ab6c2a5e1d6f0e9b2a1c3d4e5f60718293a4b5c6d7e";
  public static final String LAYER =
      "sha256:1111111111111111111111111111111111111111111111111111111111111111";

  private ClusterFixtures() {}

  /**
   * test1, test2 and test:latest on one image, as in the docker rmi docs; optionally a running
   * container.
   */
  public static SimulatedEngine docsNode(boolean runningContainer) {
    ImageStoreModel m =
        new ImageStoreModel().addImage(new StoredImage(ID, null, List.of(LAYER), 1_000_000));
    for (String r : List.of("test1:latest", "test2:latest", "test:latest"))
      m.addReference(ref(r), ID);
    if (runningContainer) m.addContainer(new StoredContainer("c".repeat(64), ID, true));
    return new SimulatedEngine(m, ProtectedImages.none());
  }

  public static DockerReference ref(String s) {
    try {
      return DockerReference.parseNormalizedNamed(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static ImageRemoval removal(String name, List<String> images) {
    ImageRemoval r = new ImageRemoval();
    r.getMetadata().setName(name);
    ImageRemovalSpec spec = new ImageRemovalSpec();
    spec.setImages(images);
    r.setSpec(spec);
    return r;
  }

  /**
   * A NodeImageRemoval of the images on the node, labelled as the operator labels its children but
   * with no owner: what a test makes to stand for one, or for an object made past the operator.
   */
  public static NodeImageRemoval nodeRemoval(String name, String node, String... images) {
    NodeImageRemoval child = new NodeImageRemoval();
    child.getMetadata().setName(name);
    child.getMetadata().getLabels().put(KubeRmi.LABEL_NODE, node);
    NodeImageRemovalSpec spec = new NodeImageRemovalSpec();
    spec.setNodeName(node);
    spec.setRemovalGeneration(1L);
    spec.setImages(List.of(images));
    child.setSpec(spec);
    return child;
  }

  public static ImageRemoval await(
      TestCluster cluster, String name, Duration timeout, Predicate<ImageRemoval> done) {
    ImageRemoval last =
        poll(
            () -> cluster.client().resources(ImageRemoval.class).withName(name).get(),
            r -> r != null && done.test(r),
            timeout);
    if (last != null && done.test(last)) return last;
    throw new AssertionError(
        "timed out waiting for " + name + "; last seen: " + described(cluster, last));
  }

  /**
   * Reads every 50 ms until what it read is done, or the timeout passed; returns the last read
   * either way, for the caller's assertions to judge.
   */
  public static <T> T poll(Supplier<T> read, Predicate<T> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = read.get();
    while (!done.test(last) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      last = read.get();
    }
    return last;
  }

  /**
   * The removal's status and the size of its spec: a spec of hundreds of images would push the
   * status out of the part of a failure that CI shows.
   */
  private static String described(TestCluster cluster, ImageRemoval r) {
    if (r == null) return "nothing";
    int images =
        r.getSpec() == null || r.getSpec().getImages() == null ? 0 : r.getSpec().getImages().size();
    return "resourceVersion "
        + r.getMetadata().getResourceVersion()
        + ", "
        + images
        + " images in the spec, status:\n"
        + cluster.client().getKubernetesSerialization().asYaml(r.getStatus());
  }

  public static Predicate<ImageRemoval> finished() {
    return r ->
        r.getStatus() != null
            && r.getStatus().getPhase() != null
            && r.getStatus().getPhase().isFinished()
            && r.getStatus().getObservedGeneration() != null
            && r.getStatus().getObservedGeneration().equals(r.getMetadata().getGeneration());
  }

  public static Predicate<ImageRemoval> phase(RemovalPhase phase) {
    return finished().and(r -> r.getStatus().getPhase() == phase);
  }
}
