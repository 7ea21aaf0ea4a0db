package io.wavegate.rollout;

/** One-shot actions requested by annotations on the ContentRollout. */
public record Actions(boolean promote, boolean abort, boolean retry, boolean approve) {

  public static final Actions NONE = new Actions(false, false, false, false);

  public Actions(boolean promote, boolean abort, boolean retry) {
    this(promote, abort, retry, false);
  }

  public boolean any() {
    return promote || abort || retry || approve;
  }
}
