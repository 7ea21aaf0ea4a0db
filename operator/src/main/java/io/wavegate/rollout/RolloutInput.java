package io.wavegate.rollout;

import io.wavegate.analysis.MetricReading;
import io.wavegate.analysis.WebhookAnswer;

import io.wavegate.api.RollbackPolicy;
import io.wavegate.policy.UpdatePolicies;
import io.wavegate.validation.GateResult;
import java.time.Instant;
import java.util.List;

/**
 * Everything one decision needs, gathered from the cluster by the reconciler.
 *
 * @param maxConcurrentPulls the most nodes fetching the new revision at once (assigned it, not reported on
 *     it yet); {@link #NO_PULL_CAP} for none
 * @param fleet the rollout's nodes ({@link #nodes()}), by name, and their wave plan
 * @param policies the node owners' update policies that govern this channel, at {@code now}
 * @param answers wave webhooks' answers that came in since the last decision
 */
public record RolloutInput(
    String channel,
    long generation,
    long observedGeneration,
    String digest,
    String snapshotNamespace,
    boolean secretContent,
    String confirmAfter,
    boolean paused,
    RollbackPolicy rollback,
    String poolLabel,
    List<WaveDef> waves,
    RolloutState previous,
    GateResult gate,
    FleetFacts fleet,
    Actions actions,
    Instant now,
    List<MetricReading> readings,
    int maxConcurrentPulls,
    UpdatePolicies policies,
    List<WebhookAnswer> answers) {

  /** No cap on the nodes fetching the new revision at once. */
  public static final int NO_PULL_CAP = 0;

  public List<FleetNode> nodes() {
    return fleet.nodes();
  }

  public RolloutInput(String channel, long generation, long observedGeneration, String digest,
      String snapshotNamespace, boolean secretContent, String confirmAfter, boolean paused, RollbackPolicy rollback,
      String poolLabel, List<WaveDef> waves, RolloutState previous, GateResult gate, List<FleetNode> nodes,
      Actions actions, Instant now, List<MetricReading> readings, int maxConcurrentPulls, UpdatePolicies policies,
      List<WebhookAnswer> answers) {
    this(channel, generation, observedGeneration, digest, snapshotNamespace, secretContent, confirmAfter, paused,
        rollback, poolLabel, waves, previous, gate, FleetFacts.of(nodes), actions, now, readings, maxConcurrentPulls,
        policies, answers);
  }

  public RolloutInput(String channel, long generation, long observedGeneration, String digest,
      String snapshotNamespace, boolean secretContent, String confirmAfter, boolean paused, RollbackPolicy rollback,
      String poolLabel, List<WaveDef> waves, RolloutState previous, GateResult gate, List<FleetNode> nodes,
      Actions actions, Instant now, List<MetricReading> readings, int maxConcurrentPulls) {
    this(channel, generation, observedGeneration, digest, snapshotNamespace, secretContent, confirmAfter, paused,
        rollback, poolLabel, waves, previous, gate, nodes, actions, now, readings, maxConcurrentPulls,
        UpdatePolicies.NONE, List.of());
  }

  public RolloutInput(String channel, long generation, long observedGeneration, String digest,
      String snapshotNamespace, boolean secretContent, String confirmAfter, boolean paused, RollbackPolicy rollback,
      String poolLabel, List<WaveDef> waves, RolloutState previous, GateResult gate, List<FleetNode> nodes,
      Actions actions, Instant now, List<MetricReading> readings, int maxConcurrentPulls, UpdatePolicies policies) {
    this(channel, generation, observedGeneration, digest, snapshotNamespace, secretContent, confirmAfter, paused,
        rollback, poolLabel, waves, previous, gate, nodes, actions, now, readings, maxConcurrentPulls, policies,
        List.of());
  }

  public RolloutInput(String channel, long generation, long observedGeneration, String digest,
      String snapshotNamespace, boolean secretContent, String confirmAfter, boolean paused, RollbackPolicy rollback,
      String poolLabel, List<WaveDef> waves, RolloutState previous, GateResult gate, List<FleetNode> nodes,
      Actions actions, Instant now, List<MetricReading> readings) {
    this(channel, generation, observedGeneration, digest, snapshotNamespace, secretContent, confirmAfter, paused,
        rollback, poolLabel, waves, previous, gate, nodes, actions, now, readings, NO_PULL_CAP);
  }

  public RolloutInput(String channel, long generation, long observedGeneration, String digest,
      String snapshotNamespace, boolean secretContent, String confirmAfter, boolean paused, RollbackPolicy rollback,
      String poolLabel, List<WaveDef> waves, RolloutState previous, GateResult gate, List<FleetNode> nodes,
      Actions actions, Instant now) {
    this(channel, generation, observedGeneration, digest, snapshotNamespace, secretContent, confirmAfter, paused,
        rollback, poolLabel, waves, previous, gate, nodes, actions, now, List.of());
  }
}
