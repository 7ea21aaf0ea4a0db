package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.KeyRef;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.rollout.EventReason;
import io.wavegate.rollout.EventRecorder;
import io.wavegate.rollout.RolloutEvent;
import io.wavegate.sim.Chart;
import io.wavegate.sim.Rollouts;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Events as `kubectl describe` shows them: one object per rollout, reason and message, counted on repeat. */
class EventRecorderTest {

  @RegisterExtension
  static final ApiServer api = new ApiServer();

  @Test
  void aRepeatedEventIsCountedOnOneObjectStampedByTheOperatorsClock() {
    KubernetesClient admin = api.client();
    Chart.install(admin);
    String digest = Rollouts.publish(admin, Chart.NAMESPACE, "events-v1", "f.bin", "x".getBytes());
    Rollouts.apply(admin, "events", Rollouts.overPools(digest, new KeyRef(null, "events-v1", "f.bin"), "1s", null));
    ContentRollout rollout = admin.resources(ContentRollout.class).withName("events").get();
    Instant first = Instant.parse("2026-12-01T10:00:00Z");
    Instant later = first.plusSeconds(90);

    // with the operator's own identity: the chart lets it create, get and patch Events in default
    new EventRecorder(Chart.asOperator(admin), Clock.fixed(first, ZoneOffset.UTC)).record(rollout,
        new RolloutEvent(EventReason.WaveWaiting, "wave canary waits: no node matches"));
    EventRecorder recorder = new EventRecorder(Chart.asOperator(admin), Clock.fixed(later, ZoneOffset.UTC));
    recorder.record(rollout, new RolloutEvent(EventReason.WaveWaiting, "wave canary waits: no node matches"));
    recorder.record(rollout, new RolloutEvent(EventReason.WaveStarted, "wave canary started"));

    List<Event> events = admin.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> "events".equals(e.getInvolvedObject().getName()))
        .sorted(Comparator.comparing(Event::getReason)).toList();
    assertThat(events).extracting(Event::getReason, Event::getCount).containsExactly(
        org.assertj.core.groups.Tuple.tuple("WaveStarted", 1), org.assertj.core.groups.Tuple.tuple("WaveWaiting", 2));
    Event waiting = events.get(1);
    assertThat(waiting.getFirstTimestamp()).isEqualTo(first.toString());
    assertThat(waiting.getLastTimestamp()).isEqualTo(later.toString());
    assertThat(waiting.getType()).isEqualTo("Warning");
    assertThat(waiting.getInvolvedObject().getUid()).isEqualTo(rollout.getMetadata().getUid());
    assertThat(waiting.getMetadata().getName()).startsWith("events.");
  }
}
