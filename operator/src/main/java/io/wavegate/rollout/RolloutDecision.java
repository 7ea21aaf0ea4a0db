package io.wavegate.rollout;

import io.wavegate.analysis.MetricRequest;
import io.wavegate.analysis.WebhookCall;

import io.wavegate.contract.Assignment;
import io.wavegate.health.HealthReport;
import io.wavegate.plan.WavePlan;
import io.wavegate.policy.Hold;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the reconciler must do: the new state, the node writes (an empty assignment removes the
 * channel from the node), the Events, the metric gates to measure, and when to look again if nothing
 * else happens.
 *
 * @param holds the nodes update policies hold back from the revision in flight, by node
 * @param webhookCalls the wave webhooks to ask now (off the reconcile thread)
 * @param policyNotes what status says of the update policies beyond holds: pins left because their revision was revoked
 */
public record RolloutDecision(
    RolloutState state,
    Map<String, Optional<Assignment>> nodeWrites,
    WavePlan plan,
    HealthReport health,
    NodeCounts counts,
    List<RolloutEvent> events,
    Optional<Duration> requeueAfter,
    boolean clearActions,
    Optional<MetricRequest> measure,
    Map<String, Hold> holds,
    List<WebhookCall> webhookCalls,
    List<String> policyNotes) {

  public RolloutDecision(RolloutState state, Map<String, Optional<Assignment>> nodeWrites, WavePlan plan,
      HealthReport health, NodeCounts counts, List<RolloutEvent> events, Optional<Duration> requeueAfter,
      boolean clearActions) {
    this(state, nodeWrites, plan, health, counts, events, requeueAfter, clearActions, Optional.empty(), Map.of(),
        List.of(), List.of());
  }

  /** One wave's nodes: members, on the new revision, Ready now, skipped as not Ready, and held by update policies. */
  public record WaveCount(int nodes, int updated, int ready, int unavailable, int held) {

    public WaveCount(int nodes, int updated, int ready, int unavailable) {
      this(nodes, updated, ready, unavailable, 0);
    }
  }

  /** Per-wave node counts for status; fleet-wide sums. */
  public record NodeCounts(List<WaveCount> waves) {

    public static final NodeCounts NONE = new NodeCounts(List.of());

    public int fleet() {
      return waves.stream().mapToInt(WaveCount::nodes).sum();
    }

    public int updated() {
      return waves.stream().mapToInt(WaveCount::updated).sum();
    }

    public int unavailable() {
      return waves.stream().mapToInt(WaveCount::unavailable).sum();
    }

    public int held() {
      return waves.stream().mapToInt(WaveCount::held).sum();
    }
  }
}
