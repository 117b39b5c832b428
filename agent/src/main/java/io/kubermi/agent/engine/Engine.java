package io.kubermi.agent.engine;

import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.api.ImageResult;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A node's image store, removing images with docker rmi's semantics and reporting in docker's
 * words.
 */
public interface Engine extends AutoCloseable {
  /** The engine's name and version; throws {@link EngineException} when it does not answer. */
  EngineInfo info();

  /**
   * From now on, reads what a removal needs to know about each image as the image arrives on the
   * node, so a removal does not wait for it; for a process that lives on, as the agent does.
   * Nothing where the engine keeps nothing of the kind.
   */
  default void followImageArrivals() {}

  /**
   * From now on calls {@code onActivity} (on a thread of the engine's, quickly) whenever the engine
   * reports a container created, started, stopped or removed, or on containerd an active snapshot
   * prepared or removed (a CRI image volume): which images are in use may have changed. Nothing
   * where the engine reports no events; the caller reads the store again to learn what changed.
   */
  default void followContainerActivity(Runnable onActivity) {}

  /**
   * Removes (or with dryRun, plans the removal of) each reference in order, as successive {@code
   * docker rmi} arguments: one result per reference, in the same order.
   */
  List<ImageResult> remove(List<String> references, RemovalOptions options);

  /**
   * Whether {@link #remove(List, RemovalOptions, Consumer)} works for these options: the engine
   * plans a removal on the store it reads for it, so the plan can be handed out before any change.
   */
  default boolean plansRemovals(RemovalOptions options) {
    return false;
  }

  /**
   * As {@link #remove(List, RemovalOptions)}, but first hands {@code beforeChanging} the answer the
   * rules plan for each reference on the store this call has read, before the engine changes
   * anything: what a journal records as its prediction, without a second read and a second plan.
   * Only where {@link #plansRemovals} says so.
   */
  default List<ImageResult> remove(
      List<String> references, RemovalOptions options, Consumer<List<ImageResult>> beforeChanging) {
    throw new UnsupportedOperationException("this engine does not hand out its plans");
  }

  /**
   * How many arguments an agent hands to one {@link #remove} call and journals as one unit: larger
   * means fewer calls where each call has a fixed cost on the engine, smaller means a long run's
   * status shows its progress more often.
   */
  default int removalBatch() {
    return 64;
  }

  /**
   * The store as the rules see it, layers included, read now: what a run predicts its answers from
   * without asking the engine for a dry run per chunk.
   */
  ImageStoreModel snapshot();

  /**
   * The store as {@link #snapshot()} has it, except that layer chains may be left out where the
   * engine reads them at extra cost: enough to resolve names and to select what a prune removes.
   */
  default ImageStoreModel listing() {
    return snapshot();
  }

  /**
   * Which of these image and layer IDs (as a "Deleted:" line names them) the engine holds now: what
   * a recovered result may not claim as deleted.
   */
  Set<String> present(Collection<String> ids);

  /**
   * Bytes this engine has freed on the node since it was created: the layers its removals deleted
   * and, on containerd, the content blobs garbage collection took with them. Never decreases; dry
   * runs free nothing.
   */
  long reclaimedBytes();

  /**
   * Bytes this engine's dry runs said their removals would free, summed since it was opened (the
   * real runs' figure is {@link #reclaimedBytes()}): measured the same way, on the store as the dry
   * run found it. 0 where an engine cannot tell.
   */
  default long reclaimableBytes() {
    return 0;
  }

  /**
   * The bytes the engine keeps for its images now, counted as {@link #reclaimedBytes} counts what a
   * removal frees: what a prune's disk thresholds compare. Throws {@link EngineException} when the
   * engine does not answer or cannot say.
   */
  default long imageBytes() {
    throw new EngineException("this engine does not count the bytes of its images");
  }

  /** The images this engine never removes (a prune never selects them either). */
  default ProtectedImages protectedImages() {
    return ProtectedImages.none();
  }

  /** Whether the engine answers now (readiness); never throws. */
  boolean isUp();

  @Override
  void close();
}
