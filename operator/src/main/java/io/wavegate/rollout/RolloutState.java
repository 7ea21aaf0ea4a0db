package io.wavegate.rollout;

import io.wavegate.analysis.MetricRecord;
import io.wavegate.analysis.WebhookAnswer;

import io.wavegate.api.RolloutPhase;
import io.wavegate.validation.GateResult;
import java.time.Instant;
import java.util.List;

/**
 * The state machine's state, all of it persisted in the ContentRollout status so that a restarted
 * operator resumes where the last one stopped ({@link StatusMapper} maps it both ways).
 *
 * @param gate the content gate's last verdict on the revision, or null before the first
 * @param stall why the rollout stopped (a breach, a halt, a spec that cannot be evaluated), or null
 * @param waiting why the rollout waits and will continue by itself (nodes not Ready), or null
 * @param metrics the metric gates' measurements of the revision in flight (status.health.metrics)
 * @param history how the last revisions ended (status.history), oldest first
 * @param generallyAvailableAt when the revision in flight became generally available: every wave holding
 *     early-access nodes (update policies) had completed; the delays of GeneralAvailability policies count from it
 * @param webhooks the wave webhooks' last answers for the revision in flight (status.webhooks)
 */
public record RolloutState(
    RolloutPhase phase,
    String revisionDigest,
    String stableDigest,
    List<String> failedRevisions,
    List<WaveProgress> waves,
    GateResult gate,
    Note stall,
    Note waiting,
    List<MetricRecord> metrics,
    List<HistoryEntry> history,
    Instant generallyAvailableAt,
    List<WebhookAnswer> webhooks) {

  public static final RolloutState INITIAL = new RolloutState(null, null, null, List.of(), List.of(), null, null, null);

  public RolloutState(RolloutPhase phase, String revisionDigest, String stableDigest, List<String> failedRevisions,
      List<WaveProgress> waves, GateResult gate, Note stall, Note waiting) {
    this(phase, revisionDigest, stableDigest, failedRevisions, waves, gate, stall, waiting, List.of(), List.of(), null,
        List.of());
  }

  public RolloutState(RolloutPhase phase, String revisionDigest, String stableDigest, List<String> failedRevisions,
      List<WaveProgress> waves, GateResult gate, Note stall, Note waiting, List<MetricRecord> metrics,
      List<HistoryEntry> history) {
    this(phase, revisionDigest, stableDigest, failedRevisions, waves, gate, stall, waiting, metrics, history, null,
        List.of());
  }

  RolloutState withHistory(List<HistoryEntry> entries) {
    return new RolloutState(phase, revisionDigest, stableDigest, failedRevisions, waves, gate, stall, waiting, metrics,
        entries, generallyAvailableAt, webhooks);
  }

  RolloutState withMetrics(List<MetricRecord> records) {
    return new RolloutState(phase, revisionDigest, stableDigest, failedRevisions, waves, gate, stall, waiting, records, history, generallyAvailableAt, webhooks);
  }

  RolloutState withPhase(RolloutPhase newPhase) {
    return new RolloutState(newPhase, revisionDigest, stableDigest, failedRevisions, waves, gate, stall, waiting, metrics, history, generallyAvailableAt, webhooks);
  }

  RolloutState withGate(GateResult verdict) {
    return new RolloutState(phase, revisionDigest, stableDigest, failedRevisions, waves, verdict, stall, waiting, metrics, history, generallyAvailableAt, webhooks);
  }

  RolloutState withStall(Note why) {
    return new RolloutState(phase, revisionDigest, stableDigest, failedRevisions, waves, gate, why, waiting, metrics, history, generallyAvailableAt, webhooks);
  }

  RolloutState withWaiting(Note why) {
    return new RolloutState(phase, revisionDigest, stableDigest, failedRevisions, waves, gate, stall, why, metrics, history, generallyAvailableAt, webhooks);
  }

  RolloutState withWaves(List<WaveProgress> newWaves) {
    return new RolloutState(phase, revisionDigest, stableDigest, failedRevisions, newWaves, gate, stall, waiting, metrics, history, generallyAvailableAt, webhooks);
  }

  RolloutState withFailedRevisions(List<String> failed) {
    return new RolloutState(phase, revisionDigest, stableDigest, failed, waves, gate, stall, waiting, metrics, history, generallyAvailableAt, webhooks);
  }

  RolloutState withStable(String digest) {
    return new RolloutState(phase, revisionDigest, digest, failedRevisions, waves, gate, stall, waiting, metrics, history, generallyAvailableAt, webhooks);
  }

  RolloutState withGenerallyAvailableAt(Instant at) {
    return new RolloutState(phase, revisionDigest, stableDigest, failedRevisions, waves, gate, stall, waiting, metrics,
        history, at, webhooks);
  }

  RolloutState withWebhooks(List<WebhookAnswer> answers) {
    return new RolloutState(phase, revisionDigest, stableDigest, failedRevisions, waves, gate, stall, waiting, metrics,
        history, generallyAvailableAt, answers);
  }

  Reason stallReason() {
    return stall == null ? null : stall.reason();
  }
}
