package io.kubermi.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.kubermi.operator.metrics.OperatorMetrics;
import io.kubermi.operator.reconciler.ChildResync;
import io.kubermi.operator.reconciler.Reconcilers;
import java.time.Clock;
import java.time.Duration;

/** Starts the JOSDK operator with kube-rmi's reconciler on a client. */
public final class OperatorRunner {
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
    return start(client, clock, leaderElection, metrics, ChildResync.DEFAULT_INTERVAL);
  }

  /** With how often an unfinished removal's children are listed from the API server. */
  public static Operator start(
      KubernetesClient client,
      Clock clock,
      LeaderElectionConfiguration leaderElection,
      OperatorMetrics metrics,
      Duration resync) {
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  // Merge/JSON patches, not server-side apply: the same writes in production and
                  // against the test server.
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .checkingCRDAndValidateLocalModel(false);
              if (leaderElection != null) {
                o.withLeaderElectionConfiguration(leaderElection);
              }
            });
    operator.register(Reconcilers.imageRemoval(client, clock, metrics, resync));
    operator.start();
    return operator;
  }
}
