package io.wavegate.rollout;

/** Why a rollout stopped other than a health breach (status.stall, the Stalled condition). */
public enum StopReason implements Reason {
  /** The spec cannot be evaluated (it passed an older, laxer CRD). */
  InvalidSpec,
  /** The revision failed before and is not retried on its own. */
  FailedBefore,
  /** The content gate refused the revision. */
  Rejected
}
