package io.kubermi.cluster;

import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.RemovalOptions;
import io.kubermi.api.ImageResult;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delegates the first removals, then hangs forever on removal number {@code hangAt} (dry runs, the
 * agent's predictions, are not counted and always answered): an agent "killed" mid-run, before the
 * engine was asked.
 */
final class BlockingEngine extends DelegatingEngine {
  private final int hangAt;
  private final AtomicInteger calls = new AtomicInteger();
  final CountDownLatch hanging = new CountDownLatch(1);

  BlockingEngine(Engine delegate, int hangAt) {
    super(delegate);
    this.hangAt = hangAt;
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
    return super.remove(references, options);
  }
}
