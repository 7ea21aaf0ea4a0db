package io.wavegate.analysis;

import io.wavegate.api.WebhookType;
import java.time.Duration;

/**
 * A wave's webhook, resolved.
 *
 * @param credentials namespace/name of the Secret with the credentials, or null
 */
public record WebhookDef(String name, WebhookType type, String url, Duration timeout, int retries,
    String credentials) {}
