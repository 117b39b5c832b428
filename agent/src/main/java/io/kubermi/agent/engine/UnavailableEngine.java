package io.kubermi.agent.engine;

import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.api.ImageResult;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The engine of a node where none could be opened, and why: every call fails with that reason, so
 * each of the node's runs ends {@code Failed}/{@code EngineError} with it instead of the agent
 * exiting before it can say so. It never answers, so the agent is not ready and its liveness fails
 * after the engine's silence limit: the kubelet's restart tries again.
 */
public final class UnavailableEngine implements Engine {
  private final String reason;

  public UnavailableEngine(String reason) {
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }

  private EngineException unavailable() {
    return new EngineException(reason);
  }

  @Override
  public EngineInfo info() {
    throw unavailable();
  }

  @Override
  public List<ImageResult> remove(List<String> references, RemovalOptions options) {
    throw unavailable();
  }

  @Override
  public ImageStoreModel snapshot() {
    throw unavailable();
  }

  @Override
  public Set<String> present(Collection<String> ids) {
    throw unavailable();
  }

  @Override
  public long reclaimedBytes() {
    return 0;
  }

  @Override
  public boolean isUp() {
    return false;
  }

  @Override
  public void close() {}
}
