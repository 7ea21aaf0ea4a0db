package io.wavegate.rollout;

/** One-shot actions requested by annotations on the ContentRollout. */
public record Actions(boolean promote, boolean abort, boolean retry) {

  public static final Actions NONE = new Actions(false, false, false);

  public boolean any() {
    return promote || abort || retry;
  }
}
