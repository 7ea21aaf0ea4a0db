package io.wavegate.policy;

/** Why an update policy holds a node back from a new revision. */
public enum HoldReason {
  /** The policy's ring is Paused. */
  Paused,
  /** The policy is overridden to Pause. */
  OverriddenToPause,
  /** The policy pins another revision. */
  Pinned,
  /** GeneralAvailability ring: the early-access nodes do not have the revision yet. */
  AwaitingEarlyAccess,
  /** GeneralAvailability ring: the delay after general availability has not passed. */
  Delayed,
  /** Allow windows are set and none is open. */
  OutsideWindow,
  /** A deny window (a freeze) is open. */
  DenyWindow,
  /** Inside an open window, this node's share of the jitter has not come yet. */
  Jitter,
  /** The policy cannot be evaluated (an unknown time zone): it holds its nodes until it is fixed. */
  InvalidPolicy;

  /**
   * The node owner opted the nodes out of new revisions (Paused, a Pause override, a pin): a wave does not
   * wait for them and completes over the rest, or over none. Every other hold is a wait for a time.
   */
  public boolean optsOut() {
    return this == Paused || this == OverriddenToPause || this == Pinned;
  }
}
