package io.wavegate.rollout;

/** Why a rollout stopped other than a health breach (status.stall, the Stalled condition). */
public enum StopReason implements Reason {
  /** The spec cannot be evaluated (it passed an older, laxer CRD). */
  InvalidSpec,
  /** The revision failed before and is not retried on its own. */
  FailedBefore,
  /** The content gate refused the revision. */
  Rejected,
  /**
   * A metric gate of a wave not completed references a ContentMetricTemplate that is missing, or leaves out
   * (or adds) an argument: no wave starts or completes until it resolves; the health gates still act.
   */
  MetricTemplateUnresolved
}
