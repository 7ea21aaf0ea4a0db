package io.wavegate.analysis;

import io.wavegate.api.WebhookType;
import java.time.Instant;

/**
 * A webhook's answer for a revision: yes (a 2xx) or no, with the HTTP status and the start of the body, or
 * why there was no answer. Kept in status.webhooks while the revision is in flight.
 */
public record WebhookAnswer(String revision, String wave, String name, WebhookType type, boolean passed,
    String message, Instant at) {

  public boolean answers(String wave, WebhookDef def) {
    return this.wave.equals(wave) && name.equals(def.name()) && type == def.type();
  }
}
