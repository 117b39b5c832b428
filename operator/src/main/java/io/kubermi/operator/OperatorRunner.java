package io.kubermi.operator;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.kubermi.operator.metrics.OperatorMetrics;
import io.kubermi.operator.reconciler.CacheAudit;
import io.kubermi.operator.reconciler.ChildResync;
import io.kubermi.operator.reconciler.Reconcilers;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the JOSDK operator with kube-rmi's reconciler on a client. */
public final class OperatorRunner {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorRunner.class);

  /**
   * Removals reconciled at once. JOSDK's default of 50 is a fixed pool, so a busy minute leaves 50
   * threads (stacks, thread state, malloc memory) for good in a process limited to a few hundred
   * MiB; a reconcile spends its time in API calls, and a fan-out's child writes have their own pool
   * ({@code ChildSet}).
   */
  static final int RECONCILE_THREADS = 8;

  private OperatorRunner() {}

  /**
   * @param leaseNamespace where the leader-election Lease lives; null runs without leader election
   *     (one process, as in local mode)
   */
  public static Operator start(
      KubernetesClient client, Clock clock, String leaseNamespace, OperatorMetrics metrics) {
    return start(
        client,
        clock,
        leaseNamespace == null
            ? null
            : new LeaderElectionConfiguration("kube-rmi-operator", leaseNamespace),
        metrics);
  }

  /**
   * With an explicit leader election (null: none); tests use it for identities and short leases.
   */
  public static Operator start(
      KubernetesClient client,
      Clock clock,
      LeaderElectionConfiguration leaderElection,
      OperatorMetrics metrics) {
    return start(
        client,
        clock,
        leaderElection,
        metrics,
        ChildResync.DEFAULT_INTERVAL,
        OperatorRunner::warn,
        null);
  }

  /**
   * With how often an unfinished removal's children and the removals themselves are listed from the
   * API server, and what to do when the informer's cache is found to have missed a change for good
   * (the in-cluster operator exits so that its restart lists afresh), and the nodes no removal may
   * target (null: none).
   */
  public static Operator start(
      KubernetesClient client,
      Clock clock,
      LeaderElectionConfiguration leaderElection,
      OperatorMetrics metrics,
      Duration resync,
      Consumer<String> onDrift,
      LabelSelector excludedNodes) {
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  // Merge/JSON patches, not server-side apply: the same writes in production and
                  // against the test server.
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .checkingCRDAndValidateLocalModel(false)
                  .withConcurrentReconciliationThreads(RECONCILE_THREADS);
              if (leaderElection != null) {
                o.withLeaderElectionConfiguration(leaderElection);
              }
            });
    // Real time, not the removals' clock: the grace measures how long the informer lags.
    CacheAudit audit = new CacheAudit(client, Clock.systemUTC());
    operator.register(
        Reconcilers.imageRemoval(client, clock, metrics, resync, audit, excludedNodes));
    operator.register(Reconcilers.schedule(client, clock, metrics));
    operator.start();
    audit.start(resync, operator.getRuntimeInfo()::isStarted, onDrift);
    return operator;
  }

  private static void warn(String drift) {
    LOG.warn("{}; a restart of the operator would list afresh", drift);
  }
}
