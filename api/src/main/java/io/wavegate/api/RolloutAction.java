package io.wavegate.api;

/**
 * The one-shot actions on a ContentRollout, each requested by an annotation that the operator
 * removes once it acted: {@code kubectl annotate contentrollout NAME wavegate.io/promote=true}.
 */
public enum RolloutAction {
  /** End the current wave's bake now, or go on past an inconclusive metric. */
  PROMOTE("wavegate.io/promote"),
  /** Roll back now, whatever the rollback policy. */
  ABORT("wavegate.io/abort"),
  /** Try a failed revision again. */
  RETRY("wavegate.io/retry"),
  /** Start the wave that waits for approval (approval: Manual). */
  APPROVE("wavegate.io/approve");

  private final String annotation;

  RolloutAction(String annotation) {
    this.annotation = annotation;
  }

  public String annotation() {
    return annotation;
  }
}
