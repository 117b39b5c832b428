package io.kubermi.cluster;

import io.kubermi.agent.engine.Engine;
import io.kubermi.agent.engine.RemovalOptions;
import io.kubermi.api.ImageResult;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delegates, except that every removal naming {@code poison} fails as a bug in the agent would
 * (neither the engine's failure nor the API server's), before the engine is asked: with an
 * unchecked exception, or by really overflowing the calling thread's stack.
 */
final class BuggyEngine extends DelegatingEngine {
  enum Bug {
    EXCEPTION,
    STACK_OVERFLOW
  }

  private final String poison;
  private final Bug bug;
  final AtomicInteger failures = new AtomicInteger();

  BuggyEngine(Engine delegate, String poison, Bug bug) {
    super(delegate);
    this.poison = poison;
    this.bug = bug;
  }

  @Override
  public List<ImageResult> remove(List<String> references, RemovalOptions options) {
    if (references.contains(poison)) {
      failures.incrementAndGet();
      if (bug == Bug.STACK_OVERFLOW) descend(0);
      throw new IllegalStateException("a bug on " + poison);
    }
    return super.remove(references, options);
  }

  private static int descend(int depth) {
    return descend(depth + 1) + 1;
  }
}
