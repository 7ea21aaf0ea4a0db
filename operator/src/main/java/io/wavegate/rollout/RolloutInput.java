package io.wavegate.rollout;

import io.wavegate.analysis.MetricReading;

import io.wavegate.api.RollbackPolicy;
import io.wavegate.validation.GateResult;
import java.time.Instant;
import java.util.List;

/** Everything one decision needs, gathered from the cluster by the reconciler. */
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
    List<FleetNode> nodes,
    Actions actions,
    Instant now,
    List<MetricReading> readings) {

  public RolloutInput(String channel, long generation, long observedGeneration, String digest,
      String snapshotNamespace, boolean secretContent, String confirmAfter, boolean paused, RollbackPolicy rollback,
      String poolLabel, List<WaveDef> waves, RolloutState previous, GateResult gate, List<FleetNode> nodes,
      Actions actions, Instant now) {
    this(channel, generation, observedGeneration, digest, snapshotNamespace, secretContent, confirmAfter, paused,
        rollback, poolLabel, waves, previous, gate, nodes, actions, now, List.of());
  }
}
