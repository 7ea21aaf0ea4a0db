package io.wavegate.rollout;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavegate.api.ContentRollout;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records Events on a ContentRollout so that `kubectl describe` and `kubectl get events` show decisions. */
public final class EventRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  // Events of a cluster-scoped object live in the default namespace, as kubectl describe expects.
  private static final String EVENT_NAMESPACE = "default";

  private final KubernetesClient client;

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  public void record(ContentRollout rollout, RolloutEvent event) {
    LOG.info("{} {}: {}", rollout.getMetadata().getName(), event.reason(), event.message());
    String now = Instant.now().toString();
    try {
      client.v1().events().inNamespace(EVENT_NAMESPACE).resource(new EventBuilder()
          .withNewMetadata().withName(rollout.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
          .withNamespace(EVENT_NAMESPACE).endMetadata()
          .withNewInvolvedObject().withApiVersion(rollout.getApiVersion()).withKind(rollout.getKind())
          .withName(rollout.getMetadata().getName()).withUid(rollout.getMetadata().getUid()).endInvolvedObject()
          .withType(event.warning() ? "Warning" : "Normal")
          .withReason(event.reason().name())
          .withMessage(event.message().length() > 1000 ? event.message().substring(0, 1000) : event.message())
          .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
          .withNewSource().withComponent("wavegate").endSource()
          .withReportingComponent("wavegate.io/operator")
          .build()).create();
    } catch (RuntimeException e) {
      LOG.warn("could not record event {} on {}: {}", event.reason(), rollout.getMetadata().getName(), e.getMessage());
    }
  }
}
