package io.kubermi.cluster;

import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.EngineInfo;
import io.kubermi.agent.engine.RemovalOptions;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.api.ImageResult;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** An engine that passes everything on; a test's engine overrides the call it misbehaves on. */
abstract class DelegatingEngine implements Engine {
  private final Engine delegate;

  DelegatingEngine(Engine delegate) {
    this.delegate = delegate;
  }

  @Override
  public List<ImageResult> remove(List<String> references, RemovalOptions options) {
    return delegate.remove(references, options);
  }

  @Override
  public EngineInfo info() {
    return delegate.info();
  }

  @Override
  public ImageStoreModel snapshot() {
    return delegate.snapshot();
  }

  @Override
  public Set<String> present(Collection<String> ids) {
    return delegate.present(ids);
  }

  @Override
  public long reclaimedBytes() {
    return delegate.reclaimedBytes();
  }

  @Override
  public long reclaimableBytes() {
    return delegate.reclaimableBytes();
  }

  @Override
  public boolean isUp() {
    return delegate.isUp();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
