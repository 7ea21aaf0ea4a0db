package io.wavegate.validation;

/** The content gate's answer: passed, or refused with a reason and a message that names the facts. */
public record Verdict(boolean passed, RejectReason reason, String message) {

  public static Verdict pass(String message) {
    return new Verdict(true, null, message);
  }

  public static Verdict reject(RejectReason reason, String message) {
    return new Verdict(false, reason, message);
  }
}
