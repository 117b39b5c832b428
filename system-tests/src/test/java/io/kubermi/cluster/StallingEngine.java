package io.kubermi.cluster;

import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.store.ImageStoreModel;
import java.util.concurrent.CountDownLatch;

/**
 * Delegates, except that reading the whole store (what a prune's selection starts with) never
 * returns until {@link #release()}: a worker wedged outside any engine removal.
 */
final class StallingEngine extends DelegatingEngine {
  final CountDownLatch stalled = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  StallingEngine(Engine delegate) {
    super(delegate);
  }

  @Override
  public ImageStoreModel listing() {
    stalled.countDown();
    try {
      released.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return super.listing();
  }

  void release() {
    released.countDown();
  }
}
