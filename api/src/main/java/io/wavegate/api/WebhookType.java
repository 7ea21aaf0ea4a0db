package io.wavegate.api;

/** When a wave's webhook is asked, as Flagger's confirm-rollout and confirm-promotion. */
public enum WebhookType {
  /** Before the wave starts: a no holds the wave (asked again every 15 s) until it says yes. */
  PreWave,
  /** After the wave's bake: a no is a breach, and the rollout rolls back with the webhook's message. */
  PostBake
}
