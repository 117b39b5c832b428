package io.kubermi.cli.simulated;

import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.EngineInfo;
import io.kubermi.agent.engine.LocalRefusal;
import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.RemovalOptions;
import io.kubermi.agent.engine.rules.LayerSizes;
import io.kubermi.agent.engine.rules.RmiPlanner;
import io.kubermi.agent.engine.rules.RmiResponse;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.api.ImageResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An in-memory node for {@code ./kube-rmi demo}, {@code local --simulated} and scale tests: an
 * image store run by the same neutral rules the containerd engine and dry runs use.
 */
public final class SimulatedEngine implements Engine {
  private final ImageStoreModel store;
  private final ProtectedImages protectedImages;
  private long reclaimed;
  private long reclaimable;

  public SimulatedEngine(ImageStoreModel store, ProtectedImages protectedImages) {
    this.store = store;
    this.protectedImages = protectedImages;
  }

  @Override
  public EngineInfo info() {
    return new EngineInfo("simulated", "1.0", "none");
  }

  @Override
  public synchronized List<ImageResult> remove(List<String> references, RemovalOptions options) {
    ImageStoreModel target = options.dryRun() ? store.copy() : store;
    RmiPlanner planner = new RmiPlanner(target);
    Map<String, Long> sizes = LayerSizes.fromImageSizes(target);
    List<ImageResult> results = new ArrayList<>();
    for (String ref : references) {
      if (!options.platforms().isEmpty()) {
        results.add(
            RmiResponse.error(500, "the simulated engine has no platform variants").toResult(ref));
        continue;
      }
      RmiResponse local = LocalRefusal.malformed(ref);
      if (local == null)
        local = LocalRefusal.protectedImage(ref, target, protectedImages, Set.of());
      RmiResponse response =
          local != null ? local : planner.remove(ref, options.force(), !options.noPrune());
      ImageResult result = response.toResult(ref);
      if (response.isOk()) {
        long bytes = LayerSizes.freedBy(response, sizes);
        if (options.dryRun()) {
          reclaimable += bytes;
          result.withReclaimableBytes(bytes);
        } else {
          reclaimed += bytes;
        }
      }
      results.add(result);
    }
    return results;
  }

  @Override
  public synchronized ImageStoreModel snapshot() {
    return store.copy();
  }

  @Override
  public synchronized Set<String> present(Collection<String> ids) {
    return store.holding(ids);
  }

  @Override
  public synchronized long reclaimedBytes() {
    return reclaimed;
  }

  @Override
  public synchronized long reclaimableBytes() {
    return reclaimable;
  }

  @Override
  public ProtectedImages protectedImages() {
    return protectedImages;
  }

  @Override
  public boolean isUp() {
    return true;
  }

  public ImageStoreModel store() {
    return store;
  }

  @Override
  public void close() {
    // nothing to release
  }
}
