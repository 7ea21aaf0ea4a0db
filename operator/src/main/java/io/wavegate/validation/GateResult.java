package io.wavegate.validation;

/** The content gate's outcome as the state machine needs it. */
public record GateResult(Outcome outcome, String reason, String message) {

  public enum Outcome {
    /** Not checked in this reconcile: the revision passed before and its snapshot exists. */
    NOT_NEEDED,
    PASSED,
    REJECTED,
    /** Cannot be decided yet (the source does not exist yet, a validator Job is running). */
    PENDING
  }

  /** A passed result that also says what the static checks found. */
  public GateResult withPassedDetail(String detail) {
    return outcome == Outcome.PASSED ? new GateResult(outcome, reason, detail + "; " + message) : this;
  }

  public static GateResult notNeeded() {
    return new GateResult(Outcome.NOT_NEEDED, null, null);
  }

  public static GateResult passed(String message) {
    return new GateResult(Outcome.PASSED, "Passed", message);
  }

  public static GateResult rejected(String reason, String message) {
    return new GateResult(Outcome.REJECTED, reason, message);
  }

  public static GateResult pending(String reason, String message) {
    return new GateResult(Outcome.PENDING, reason, message);
  }
}
