package io.wavegate.rollout;

import io.wavegate.api.RolloutPhase;
import java.util.List;

/**
 * The state machine's state, all of it persisted in the ContentRollout status so that a restarted
 * operator resumes where the last one stopped.
 *
 * @param gateReason the content gate's last reason (Passed, a RejectReason, or why it waits)
 * @param stallReason why the rollout stopped (a health signal, or null)
 */
public record RolloutState(
    RolloutPhase phase,
    String revisionDigest,
    String stableDigest,
    List<String> failedRevisions,
    List<WaveProgress> waves,
    String gateReason,
    String gateMessage,
    String stallReason,
    String stallMessage) {

  public static final RolloutState INITIAL =
      new RolloutState(null, null, null, List.of(), List.of(), null, null, null, null);

  RolloutState withPhase(RolloutPhase newPhase) {
    return new RolloutState(newPhase, revisionDigest, stableDigest, failedRevisions, waves, gateReason, gateMessage,
        stallReason, stallMessage);
  }

  RolloutState withGate(String reason, String message) {
    return new RolloutState(phase, revisionDigest, stableDigest, failedRevisions, waves, reason, message, stallReason,
        stallMessage);
  }

  RolloutState withStall(String reason, String message) {
    return new RolloutState(phase, revisionDigest, stableDigest, failedRevisions, waves, gateReason, gateMessage, reason,
        message);
  }

  RolloutState withWaves(List<WaveProgress> newWaves) {
    return new RolloutState(phase, revisionDigest, stableDigest, failedRevisions, newWaves, gateReason, gateMessage,
        stallReason, stallMessage);
  }

  RolloutState withFailedRevisions(List<String> failed) {
    return new RolloutState(phase, revisionDigest, stableDigest, failed, waves, gateReason, gateMessage, stallReason,
        stallMessage);
  }

  RolloutState withStable(String digest) {
    return new RolloutState(phase, revisionDigest, digest, failedRevisions, waves, gateReason, gateMessage, stallReason,
        stallMessage);
  }
}
