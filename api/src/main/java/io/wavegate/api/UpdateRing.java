package io.wavegate.api;

/** Which ring a node owner puts nodes on: when they take a revision relative to the rest of the fleet. */
public enum UpdateRing {
  /** Takes a revision as soon as its wave starts; the revision is generally available once this ring has it. */
  EarlyAccess,
  /** Takes a revision once it is generally available and the policy's delay has passed. */
  GeneralAvailability,
  /** Takes no new revision (a channel marked critical still passes). */
  Paused
}
