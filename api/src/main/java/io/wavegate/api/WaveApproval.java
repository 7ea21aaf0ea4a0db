package io.wavegate.api;

/** Whether a wave starts on its own once the one before it completed, or waits for a person. */
public enum WaveApproval {
  Automatic,
  /** The wave waits (status.wait: AwaitingApproval) for `kubectl wavegate approve NAME`. */
  Manual
}
