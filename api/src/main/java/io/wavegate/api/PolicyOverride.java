package io.wavegate.api;

/** A node owner's override of a policy's own timing, set and cleared with kubectl wavegate override. */
public enum PolicyOverride {
  /** The policy holds nothing: ring, delay, windows, jitter and pin are set aside. */
  Allow,
  /** The policy holds every new revision, as ring Paused does (a channel marked critical still passes). */
  Pause
}
