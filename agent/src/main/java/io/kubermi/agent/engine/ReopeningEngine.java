package io.kubermi.agent.engine;

import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.api.ImageResult;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The node's engine, opened when first needed and, while it cannot be, tried again at each use: a
 * containerd restarting as the agent starts costs nothing, and a node where no fitting engine
 * answers fails each run with the reason ({@code Failed}/{@code EngineError}) instead of the agent
 * exiting before it can say so. Not ready while closed; its liveness fails after the engine's
 * silence limit, so the kubelet's restart reads the node afresh.
 */
public final class ReopeningEngine implements Engine {
  private final Supplier<Engine> opener;
  private Engine engine;
  private String problem;
  private boolean followArrivals;
  private Runnable containerActivity;

  public ReopeningEngine(Supplier<Engine> opener) {
    this.opener = opener;
  }

  /** The engine, opened now if it was not; an EngineException saying why it cannot be. */
  private synchronized Engine engine() {
    if (engine != null) return engine;
    try {
      engine = opener.get();
      problem = null;
      if (followArrivals) engine.followImageArrivals();
      if (containerActivity != null) engine.followContainerActivity(containerActivity);
      return engine;
    } catch (EngineException e) {
      problem = e.getMessage();
      throw e;
    }
  }

  /** Why the engine is not open, when it is not. */
  public synchronized Optional<String> problem() {
    if (engine != null) return Optional.empty();
    return Optional.ofNullable(problem);
  }

  @Override
  public EngineInfo info() {
    return engine().info();
  }

  @Override
  public synchronized void followImageArrivals() {
    followArrivals = true;
    if (engine != null) engine.followImageArrivals();
  }

  @Override
  public synchronized void followContainerActivity(Runnable onActivity) {
    containerActivity = onActivity;
    if (engine != null) engine.followContainerActivity(onActivity);
  }

  @Override
  public long imageBytes() {
    return engine().imageBytes();
  }

  @Override
  public List<ImageResult> remove(List<String> references, RemovalOptions options) {
    return engine().remove(references, options);
  }

  @Override
  public boolean plansRemovals(RemovalOptions options) {
    return engine().plansRemovals(options);
  }

  @Override
  public List<ImageResult> remove(
      List<String> references, RemovalOptions options, Consumer<List<ImageResult>> beforeChanging) {
    return engine().remove(references, options, beforeChanging);
  }

  @Override
  public int removalBatch() {
    try {
      return engine().removalBatch();
    } catch (EngineException e) {
      return Engine.super.removalBatch();
    }
  }

  @Override
  public ImageStoreModel snapshot() {
    return engine().snapshot();
  }

  @Override
  public ImageStoreModel listing() {
    return engine().listing();
  }

  @Override
  public Set<String> present(Collection<String> ids) {
    return engine().present(ids);
  }

  @Override
  public synchronized long reclaimedBytes() {
    return engine == null ? 0 : engine.reclaimedBytes();
  }

  @Override
  public synchronized long reclaimableBytes() {
    return engine == null ? 0 : engine.reclaimableBytes();
  }

  @Override
  public ProtectedImages protectedImages() {
    try {
      return engine().protectedImages();
    } catch (EngineException e) {
      return ProtectedImages.none();
    }
  }

  @Override
  public boolean isUp() {
    try {
      return engine().isUp();
    } catch (EngineException e) {
      return false;
    }
  }

  @Override
  public synchronized void close() {
    if (engine != null) engine.close();
  }
}
