package io.wavegate.rollout;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.wavegate.api.ContentRollout;
import io.wavegate.contract.Digests;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Events on a ContentRollout so that `kubectl describe` and `kubectl get events` show
 * decisions. An Event is named after the rollout, its reason and its message, so the same event
 * again raises its count and its last timestamp instead of adding an object (as the Flink operator's
 * EventUtils and the kubelet's recorder do).
 */
public final class EventRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  /** Events of a cluster-scoped object live in the default namespace, where kubectl describe looks for them. */
  static final String EVENT_NAMESPACE = "default";
  static final int MAX_MESSAGE = 1000;

  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void record(ContentRollout rollout, RolloutEvent event) {
    LOG.info("{} {}: {}", rollout.getMetadata().getName(), event.reason(), event.message());
    String now = clock.instant().toString();
    String message = event.message().length() > MAX_MESSAGE ? event.message().substring(0, MAX_MESSAGE) : event.message();
    String name = name(rollout.getMetadata().getName(), rollout.getMetadata().getUid(), event.reason(), message);
    Event fresh = new EventBuilder()
        .withNewMetadata().withName(name).withNamespace(EVENT_NAMESPACE).endMetadata()
        .withNewInvolvedObject().withApiVersion(rollout.getApiVersion()).withKind(rollout.getKind())
        .withName(rollout.getMetadata().getName()).withUid(rollout.getMetadata().getUid()).endInvolvedObject()
        .withType(event.warning() ? "Warning" : "Normal")
        .withReason(event.reason().name())
        .withMessage(message)
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .withNewSource().withComponent("wavegate").endSource()
        .withReportingComponent("wavegate.io/operator")
        .build();
    try {
      // most events are new: create, and only when it exists count the one already there
      if (!created(fresh)) {
        Event made = client.v1().events().inNamespace(EVENT_NAMESPACE).withName(name).get();
        if (made != null) {
          repeat(made, now);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("could not record event {} on {}: {}", event.reason(), rollout.getMetadata().getName(), e.getMessage());
    }
  }

  /** False when it exists already: the same event again, or made a moment ago by another replica. */
  private boolean created(Event event) {
    try {
      client.v1().events().inNamespace(EVENT_NAMESPACE).resource(event).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false;
      }
      throw e;
    }
  }

  private void repeat(Event existing, String now) {
    int count = existing.getCount() == null ? 1 : existing.getCount();
    client.v1().events().inNamespace(EVENT_NAMESPACE).withName(existing.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), io.fabric8.kubernetes.client.utils.Serialization.asJson(
            Map.of("count", count + 1, "lastTimestamp", now)));
  }

  /** rollout.&lt;16 hex&gt;: the same rollout (by uid), reason and message make the same name. Pure. */
  static String name(String rollout, String uid, EventReason reason, String message) {
    String key = uid + "\n" + reason.name() + "\n" + message;
    return rollout + "." + Digests.sha256Hex(key.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
  }
}
