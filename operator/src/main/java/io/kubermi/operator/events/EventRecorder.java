package io.kubermi.operator.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubermi.api.KubeRmi;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on an ImageRemoval, stamped with the operator's clock, in the default namespace
 * as for other cluster-scoped objects. Best effort: a failed write is logged, never fails a
 * reconcile.
 */
public class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  static final String NAMESPACE = "default";
  static final int MAX_MESSAGE = 1000;
  private static final AtomicLong SEQUENCE = new AtomicLong();
  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void record(HasMetadata r, EventReason reason, String message) {
    try {
      client.v1().events().inNamespace(NAMESPACE).resource(event(r, reason, message)).create();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "could not record event {} on {}: {}", reason, r.getMetadata().getName(), e.getMessage());
    }
  }

  Event event(HasMetadata r, EventReason reason, String message) {
    String now = clock.instant().toString();
    String name =
        r.getMetadata().getName()
            + "."
            + Long.toHexString(clock.millis())
            + SEQUENCE.incrementAndGet();
    return new EventBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NAMESPACE)
        .endMetadata()
        .withInvolvedObject(
            new ObjectReferenceBuilder()
                .withApiVersion(KubeRmi.API_VERSION)
                .withKind(r.getKind())
                .withName(r.getMetadata().getName())
                .withUid(r.getMetadata().getUid())
                .build())
        .withType(reason.type())
        .withReason(reason.name())
        .withMessage(message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource()
        .withComponent("kube-rmi-operator")
        .endSource()
        .build();
  }
}
