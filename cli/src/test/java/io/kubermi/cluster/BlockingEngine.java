package io.kubermi.cluster;

import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.EngineInfo;
import io.kubermi.agent.engine.RemovalOptions;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.api.ImageResult;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delegates the first removals, then hangs forever on removal number {@code hangAt} (dry runs, the
 * agent's predictions, are not counted and always answered): an agent "killed" mid-run, before the
 * engine was asked.
 */
final class BlockingEngine implements Engine {
  private final Engine delegate;
  private final int hangAt;
  private final AtomicInteger calls = new AtomicInteger();
  final CountDownLatch hanging = new CountDownLatch(1);

  BlockingEngine(Engine delegate, int hangAt) {
    this.delegate = delegate;
    this.hangAt = hangAt;
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
  public List<ImageResult> remove(List<String> references, RemovalOptions options) {
    if (!options.dryRun() && calls.incrementAndGet() >= hangAt) {
      hanging.countDown();
      while (true) {
        try {
          Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
          // a dead process does nothing more: keep hanging, never return, never write
        }
      }
    }
    return delegate.remove(references, options);
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
