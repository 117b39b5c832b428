package io.kubermi.cluster;

import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.RemovalOptions;
import io.kubermi.api.ImageResult;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delegates, except that every removal naming {@code poison} throws what a bug in the agent would
 * (neither the engine's failure nor the API server's), before the engine is asked.
 */
final class BuggyEngine extends DelegatingEngine {
  private final String poison;
  final AtomicInteger failures = new AtomicInteger();

  BuggyEngine(Engine delegate, String poison) {
    super(delegate);
    this.poison = poison;
  }

  @Override
  public List<ImageResult> remove(List<String> references, RemovalOptions options) {
    if (references.contains(poison)) {
      failures.incrementAndGet();
      throw new IllegalStateException("a bug on " + poison);
    }
    return super.remove(references, options);
  }
}
