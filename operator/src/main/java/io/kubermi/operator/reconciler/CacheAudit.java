package io.kubermi.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.kubermi.api.ImageRemoval;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the ImageRemovals from the API server once per interval and compares them with the
 * reconciler's informer cache. An informer whose watch connection went silent (a NAT or load
 * balancer that drops an idle long-lived flow without a reset, a watch that stopped and was not
 * restarted) hears nothing more and never notices: a removal created afterwards would never run. A
 * difference that outlives {@link CacheDrift#GRACE} is handed to {@code onDrift}; the in-cluster
 * operator exits, so that its restart lists and watches afresh.
 */
public final class CacheAudit implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CacheAudit.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final CacheDrift drift = new CacheDrift(CacheDrift.GRACE);
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "kube-rmi-cache-audit");
            t.setDaemon(true);
            return t;
          });
  private volatile IndexerResourceCache<ImageRemoval> cache;

  public CacheAudit(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** The reconciler's primary cache, known once JOSDK prepares the event sources. */
  void watch(IndexerResourceCache<ImageRemoval> primaryCache) {
    this.cache = primaryCache;
  }

  /** Audits every {@code interval} until {@code running} turns false (the operator stopped). */
  public void start(Duration interval, BooleanSupplier running, Consumer<String> onDrift) {
    long ms = interval.toMillis();
    timer.scheduleWithFixedDelay(
        () -> {
          if (running.getAsBoolean()) auditOnce(onDrift);
          else close();
        },
        ms,
        ms,
        TimeUnit.MILLISECONDS);
  }

  private void auditOnce(Consumer<String> onDrift) {
    IndexerResourceCache<ImageRemoval> c = cache;
    if (c == null) return;
    Map<String, String> server;
    try {
      server = versions(client.resources(ImageRemoval.class).list().getItems().stream());
    } catch (RuntimeException e) {
      LOG.debug("cache audit: listing ImageRemovals failed, next interval tries again", e);
      drift.reset();
      return;
    }
    Set<String> missed = drift.persistent(server, versions(c.list()), clock.instant());
    if (!missed.isEmpty()) {
      onDrift.accept(
          "the ImageRemoval informer has not heard changes the API server has held for "
              + CacheDrift.GRACE.toSeconds()
              + " s: "
              + String.join(", ", missed));
    }
  }

  private static Map<String, String> versions(Stream<? extends HasMetadata> objects) {
    return objects.collect(
        Collectors.toMap(
            o -> o.getMetadata().getName(),
            o -> o.getMetadata().getUid() + "/" + o.getMetadata().getResourceVersion(),
            (a, b) -> a));
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
