package io.wavegate.rollout;

import io.wavegate.api.RolloutPhase;

/** The one rule for when a revision goes (back) to the content gate, used by the reconciler and the decider alike. */
public final class GateRule {

  private GateRule() {}

  /**
   * The revision starts over at the gate: first sight, a new digest, a retry of a failed revision,
   * or a spec change after a rejection (a fixed schema, a raised maxBytes).
   */
  static boolean restarts(RolloutState previous, String digest, boolean specChanged, boolean retry) {
    return previous.phase() == null || !digest.equals(previous.revisionDigest())
        || (retry && previous.failedRevisions().contains(digest))
        || (previous.phase() == RolloutPhase.Rejected && specChanged);
  }

  /** The gate runs in this reconcile: the revision starts over or still waits at the gate, and did not fail before. */
  public static boolean runs(RolloutState previous, String digest, boolean specChanged, boolean retry) {
    boolean failedBefore = previous.failedRevisions().contains(digest) && !retry;
    return !failedBefore && (restarts(previous, digest, specChanged, retry) || previous.phase() == RolloutPhase.Validating);
  }
}
