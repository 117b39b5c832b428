package io.kubermi.operator.schedule;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalSchedule;
import io.kubermi.api.ImageRemovalSpec;
import io.kubermi.api.ImageRemovalStatus;
import io.kubermi.api.KubeRmi;
import io.kubermi.api.NodeLabel;
import io.kubermi.api.TemplateMetadata;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A schedule's runs on the API server: reads them, creates the run of a scheduled time (once: its
 * name is fixed by the time, so a second create, by a restarted operator or another replica, is
 * refused by the API server and changes nothing), and deletes the ones that go.
 */
final class ScheduleRuns {
  static final String SCHEDULED_TIME_ANNOTATION = KubeRmi.GROUP + "/scheduled-time";
  private final KubernetesClient client;

  ScheduleRuns(KubernetesClient client) {
    this.client = client;
  }

  /** The runs this very schedule (by UID) owns, as the decision reads them. */
  static List<ScheduledRun> of(ImageRemovalSchedule schedule, Collection<ImageRemoval> owned) {
    return owned.stream()
        .filter(r -> isRunOf(r, schedule))
        .map(ScheduleRuns::toRun)
        .filter(r -> r.scheduledTime() != null)
        .toList();
  }

  private static boolean isRunOf(ImageRemoval r, ImageRemovalSchedule schedule) {
    return r.getMetadata().getOwnerReferences().stream()
        .anyMatch(
            o ->
                Boolean.TRUE.equals(o.getController())
                    && o.getUid().equals(schedule.getMetadata().getUid()));
  }

  private static ScheduledRun toRun(ImageRemoval r) {
    Map<String, String> annotations = r.getMetadata().getAnnotations();
    String at = annotations == null ? null : annotations.get(SCHEDULED_TIME_ANNOTATION);
    ImageRemovalStatus s = r.getStatus();
    boolean ofThisGeneration =
        s != null
            && s.getObservedGeneration() != null
            && s.getObservedGeneration().equals(r.getMetadata().getGeneration());
    return new ScheduledRun(
        r.getMetadata().getName(),
        at == null ? null : Instant.parse(at),
        ofThisGeneration ? s.getPhase() : null,
        ofThisGeneration && s.getFinishedAt() != null ? Instant.parse(s.getFinishedAt()) : null);
  }

  /** Creates the run for a scheduled time; false when it exists already. */
  boolean create(ImageRemovalSchedule schedule, Instant scheduledTime) {
    try {
      client.resource(desired(schedule, scheduledTime)).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) return false; // made before: by us before a restart, or a peer
      throw e;
    }
  }

  void delete(String name) {
    client.resources(ImageRemoval.class).withName(name).delete();
  }

  /** The run of a scheduled time: the template's spec, labels and annotations, owned by it. */
  ImageRemoval desired(ImageRemovalSchedule schedule, Instant scheduledTime) {
    String name = schedule.getMetadata().getName();
    TemplateMetadata template = schedule.getSpec().getTemplate().getMetadata();
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> annotations = new LinkedHashMap<>();
    if (template != null) {
      if (template.getLabels() != null) labels.putAll(template.getLabels());
      if (template.getAnnotations() != null) annotations.putAll(template.getAnnotations());
    }
    labels.put(KubeRmi.LABEL_SCHEDULE, NodeLabel.value(name));
    annotations.put(SCHEDULED_TIME_ANNOTATION, scheduledTime.toString());
    ImageRemoval run = new ImageRemoval();
    run.setMetadata(
        new ObjectMetaBuilder()
            .withName(ScheduleDecision.runName(name, scheduledTime))
            .withLabels(labels)
            .withAnnotations(annotations)
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(KubeRmi.API_VERSION)
                    .withKind("ImageRemovalSchedule")
                    .withName(name)
                    .withUid(schedule.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build())
            .build());
    ImageRemovalSpec spec =
        client.getKubernetesSerialization().clone(schedule.getSpec().getTemplate().getSpec());
    run.setSpec(spec);
    return run;
  }
}
