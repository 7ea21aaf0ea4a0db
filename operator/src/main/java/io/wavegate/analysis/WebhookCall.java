package io.wavegate.analysis;

/** A webhook a decision asks: for which rollout, revision and wave, over how many of the wave's nodes. */
public record WebhookCall(String channel, String revision, String wave, WebhookDef def, int nodes) {

  /** The one call in flight per rollout, wave and webhook. */
  String key() {
    return channel + "/" + wave + "/" + def.name() + "/" + def.type();
  }
}
