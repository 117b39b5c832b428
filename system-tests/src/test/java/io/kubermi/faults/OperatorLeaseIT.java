package io.kubermi.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kubermi.controlplane.ChartIdentities;
import io.kubermi.controlplane.ControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The operator process as the chart's ServiceAccount keeps its leader-election Lease: it renews it
 * past several lease durations and stays up. Under a Role without {@code patch} on Leases the
 * renewals are refused (403) and the operator gives up leading and exits about ten seconds after it
 * started, over and over, which only a real API server enforcing the chart's RBAC shows.
 */
class OperatorLeaseIT {
  private static final Duration WATCHED = Duration.ofSeconds(40);

  @Test
  void theOperatorRenewsItsLeaseUnderTheChartsRbac() throws Exception {
    ControlPlane controlPlane = ControlPlane.shared();
    String token = ChartIdentities.apply(controlPlane).operatorToken();
    Path dir = Files.createTempDirectory("krmi-lease");
    Path log = dir.resolve("operator.log");
    try (InClusterProcess operator =
        new InClusterProcess(
                "operator",
                FaultNode.operatorEnv(controlPlane.clientEnv(token)),
                log,
                ChartJavaOptions.of("operator"))
            .start()) {
      OptionalInt exit = operator.exitWithin(WATCHED);
      assertThat(exit)
          .as("the operator still runs after %s; its log:\n%s", WATCHED, Files.readString(log))
          .isEmpty();
      Lease lease =
          controlPlane
              .admin()
              .leases()
              .inNamespace(ControlPlane.NAMESPACE)
              .withName("kube-rmi-operator")
              .get();
      ZonedDateTime acquired = lease.getSpec().getAcquireTime();
      ZonedDateTime renewed = lease.getSpec().getRenewTime();
      assertThat(Duration.between(acquired, renewed))
          .as("renewed long after it was acquired")
          .isGreaterThan(WATCHED.minusSeconds(15));
      assertThat(Files.readString(log)).doesNotContain("forbidden");
    } finally {
      controlPlane.wipeTestObjects();
    }
  }
}
