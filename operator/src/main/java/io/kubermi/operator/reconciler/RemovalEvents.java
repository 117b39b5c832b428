package io.kubermi.operator.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.KubeRmi;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events on an ImageRemoval (in the default namespace, as for other cluster-scoped objects). */
public final class RemovalEvents {
  private static final Logger LOG = LoggerFactory.getLogger(RemovalEvents.class);
  static final String NAMESPACE = "default";
  private static final AtomicLong SEQUENCE = new AtomicLong();
  private final KubernetesClient client;

  public RemovalEvents(KubernetesClient client) {
    this.client = client;
  }

  void normal(ImageRemoval r, String reason, String message) {
    record(r, "Normal", reason, message);
  }

  void warning(ImageRemoval r, String reason, String message) {
    record(r, "Warning", reason, message);
  }

  private void record(ImageRemoval r, String type, String reason, String message) {
    String now = Instant.now().toString();
    try {
      client.v1().events().inNamespace(NAMESPACE).resource(new EventBuilder()
          .withNewMetadata().withName(r.getMetadata().getName() + "." + Long.toHexString(System.nanoTime()) + SEQUENCE.incrementAndGet())
          .withNamespace(NAMESPACE).endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(KubeRmi.API_VERSION).withKind("ImageRemoval")
              .withName(r.getMetadata().getName()).withUid(r.getMetadata().getUid()).build())
          .withType(type).withReason(reason).withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
          .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
          .withNewSource().withComponent("kube-rmi-operator").endSource().build()).create();
    } catch (KubernetesClientException e) {
      // An event is best effort: never fail a reconcile over it.
      LOG.warn("could not record event {} on {}: {}", reason, r.getMetadata().getName(), e.getMessage());
    }
  }
}
