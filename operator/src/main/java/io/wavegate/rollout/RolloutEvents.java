package io.wavegate.rollout;

import io.wavegate.analysis.MetricReading;
import io.wavegate.contract.Digests;
import io.wavegate.health.Breach;
import io.wavegate.validation.GateResult;
import java.time.Duration;
import io.wavegate.analysis.WebhookAnswer;
import java.util.List;
import java.util.Map;
import io.wavegate.policy.Hold;

/**
 * Every Event of a rollout, its reason and its text, built in one place: what an SRE reads in
 * `kubectl describe contentrollout` and `kubectl get events`. The decider says which happen.
 */
final class RolloutEvents {

  private RolloutEvents() {}

  static RolloutEvent validated(String digest, GateResult gate) {
    return new RolloutEvent(EventReason.Validated, "revision " + Digests.shortRevision(digest)
        + " passed the content gate: " + gate.message());
  }

  static RolloutEvent rejected(String digest, GateResult gate) {
    return new RolloutEvent(EventReason.Rejected, "revision " + Digests.shortRevision(digest)
        + " refused by the content gate (" + gate.reason() + "): " + gate.message() + "; no node was touched");
  }

  static RolloutEvent retry(String digest) {
    return new RolloutEvent(EventReason.Retry, "revision " + Digests.shortRevision(digest)
        + " removed from failedRevisions; it will be validated and rolled out again");
  }

  static RolloutEvent superseded(String old, String digest) {
    return new RolloutEvent(EventReason.Superseded, "revision " + Digests.shortRevision(old) + " superseded by "
        + Digests.shortRevision(digest));
  }

  static RolloutEvent failedBefore(Note stall) {
    return new RolloutEvent(EventReason.FailedBefore, stall.message());
  }

  static RolloutEvent invalidSpec(Note stall) {
    return new RolloutEvent(EventReason.InvalidSpec, stall.message());
  }

  static RolloutEvent metricTemplateUnresolved(Note stall) {
    return new RolloutEvent(EventReason.MetricTemplateUnresolved, stall.message());
  }

  static RolloutEvent paused() {
    return new RolloutEvent(EventReason.Paused, "spec.paused is true: no further wave starts");
  }

  static RolloutEvent resumed() {
    return new RolloutEvent(EventReason.Resumed, "spec.paused is false: the rollout continues");
  }

  static RolloutEvent promotedPastInconclusive(String digest) {
    return new RolloutEvent(EventReason.Resumed, "promoted past an inconclusive metric: no data no longer"
        + " halts revision " + Digests.shortRevision(digest));
  }

  static RolloutEvent metricMeasured(MetricReading reading) {
    return new RolloutEvent(EventReason.MetricMeasurement, "metric " + reading.metric() + " "
        + reading.verdict().outcome() + ": " + reading.verdict().reason() + " (over " + reading.nodes().size()
        + " updated nodes)");
  }

  static RolloutEvent waveWaiting(Note wait) {
    return new RolloutEvent(EventReason.WaveWaiting, wait.message());
  }

  static RolloutEvent waveStarted(String wave, int nodes, String digest, List<String> unavailable) {
    return new RolloutEvent(EventReason.WaveStarted, "wave " + wave + " started: " + nodes + " node(s) get revision "
        + Digests.shortRevision(digest) + (unavailable.isEmpty() ? "" : "; " + unavailable.size()
        + " not Ready, skipped until they are: " + Breach.listed(unavailable)));
  }

  static RolloutEvent waveApplied(String wave, int nodes, int unavailable, Duration bake) {
    return new RolloutEvent(EventReason.WaveApplied, "wave " + wave + ": " + nodes + " node(s) applied the revision"
        + (unavailable == 0 ? "" : " (" + unavailable + " not Ready, skipped)") + "; baking for "
        + bake.toString().substring(2).toLowerCase());
  }

  static RolloutEvent waveCompleted(String wave, boolean promoted) {
    return new RolloutEvent(EventReason.WaveCompleted, "wave " + wave + " completed"
        + (promoted ? " (bake skipped by wavegate.io/promote)" : ""));
  }

  static RolloutEvent waveSkipped(String wave, Map<String, Hold> held) {
    return new RolloutEvent(EventReason.WaveSkipped, "wave " + wave + " skipped: update policies pause or pin all "
        + held.size() + " of its node(s) (" + held.values().stream().map(Hold::policy).distinct().sorted().toList()
        + "); they take the stable revision when the hold lifts");
  }

  static RolloutEvent webhookRefused(WebhookAnswer answer) {
    return new RolloutEvent(EventReason.WebhookRefused, answer.type() + " webhook " + answer.name() + " of wave "
        + answer.wave() + " said no: " + answer.message());
  }

  static RolloutEvent succeeded(String digest) {
    return new RolloutEvent(EventReason.Succeeded, "revision " + Digests.shortRevision(digest)
        + " completed every wave and is now the stable revision");
  }

  static RolloutEvent halted(String digest, boolean inconclusive, Breach breach) {
    return new RolloutEvent(EventReason.Halted, "revision " + Digests.shortRevision(digest) + " halted ("
        + (inconclusive ? "a metric is inconclusive" : "rollback: Manual") + "): " + breach.message());
  }

  static RolloutEvent rollbackStarted(String digest, String stable, Breach breach) {
    return new RolloutEvent(EventReason.RollbackStarted, "revision " + Digests.shortRevision(digest) + " rolled back to "
        + (stable == null ? "no content" : Digests.shortRevision(stable)) + ": " + breach.message());
  }

  static RolloutEvent rolledBack(String stable) {
    return new RolloutEvent(EventReason.RolledBack, "every touched node is back on "
        + (stable == null ? "no content (there is no stable revision)" : "stable revision "
        + Digests.shortRevision(stable)));
  }

  static RolloutEvent reconcileError(Note error) {
    return new RolloutEvent(EventReason.ReconcileError, error.reason().name() + ": " + error.message());
  }
}
