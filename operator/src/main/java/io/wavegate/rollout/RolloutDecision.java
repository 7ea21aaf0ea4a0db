package io.wavegate.rollout;

import io.wavegate.delivery.Assignment;
import io.wavegate.health.HealthReport;
import io.wavegate.plan.WavePlan;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the reconciler must do: the new state, the node writes (an empty assignment removes the
 * channel from the node), the Events, and when to look again if nothing else happens.
 */
public record RolloutDecision(
    RolloutState state,
    Map<String, Optional<Assignment>> nodeWrites,
    WavePlan plan,
    HealthReport health,
    NodeCounts counts,
    List<RolloutEvent> events,
    Optional<Duration> requeueAfter,
    boolean clearActions) {

  /** Per-wave and fleet-wide node counts for status. */
  public record NodeCounts(int fleet, int updated, List<Integer> waveNodes, List<Integer> waveUpdated,
      List<Integer> waveReady) {}
}
