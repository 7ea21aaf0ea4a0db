package io.wavegate.rollout;

/** A Kubernetes Event to record on the ContentRollout. */
public record RolloutEvent(boolean warning, String reason, String message) {

  static RolloutEvent normal(String reason, String message) {
    return new RolloutEvent(false, reason, message);
  }

  static RolloutEvent warning(String reason, String message) {
    return new RolloutEvent(true, reason, message);
  }
}
