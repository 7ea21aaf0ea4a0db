package io.wavegate.rollout;

/** A Kubernetes Event to record on the ContentRollout. */
public record RolloutEvent(EventReason reason, String message) {

  public boolean warning() {
    return reason.warning();
  }
}
