package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * An HTTP webhook a wave asks before it starts or after its bake. wavegate POSTs a JSON body (channel,
 * revision, wave, type, nodes); a 2xx answer is a yes, anything else a no (its body, cut to 256
 * characters, is the message). A webhook that does not answer after its retries is a no.
 */
public class WaveWebhook {

  public static final String DEFAULT_TIMEOUT = "10s";
  public static final int DEFAULT_RETRIES = 2;

  @Required
  @Size(min = 1, max = 63)
  @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
      message = "webhook name must be a DNS label (lowercase letters, digits, '-')")
  @JsonPropertyDescription("Name of the webhook, unique in its wave: status.webhooks and Events name it.")
  private String name;

  @Required
  @JsonPropertyDescription("PreWave: asked before the wave starts; a no holds it. PostBake: asked after its bake; a no"
      + " rolls back.")
  private WebhookType type;

  @Required
  @Size(max = 2048)
  @Pattern("^https?://[^\\s]+$")
  @JsonPropertyDescription("Where to POST.")
  private String url;

  @Default(DEFAULT_TIMEOUT)
  @Size(max = 32)
  @ValidationRule(value = SchemaRules.DURATION, message = "timeout " + SchemaRules.DURATION_MESSAGE)
  @JsonPropertyDescription("How long one call may take. Default 10s.")
  private String timeout = DEFAULT_TIMEOUT;

  @Default("2")
  @Min(0)
  @Max(10)
  @JsonPropertyDescription("Calls again after a transport error, a timeout or a 5xx, this many times. Default 2.")
  private Integer retries = 2;

  @JsonPropertyDescription("A Secret in a source namespace with the credentials: key token (a bearer token), or keys"
      + " username and password (basic auth).")
  private SecretRef secretRef;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public WebhookType getType() { return type; }
  public void setType(WebhookType type) { this.type = type; }
  public String getUrl() { return url; }
  public void setUrl(String url) { this.url = url; }
  public String getTimeout() { return timeout; }
  public void setTimeout(String timeout) { this.timeout = timeout; }
  public Integer getRetries() { return retries; }
  public void setRetries(Integer retries) { this.retries = retries; }
  public SecretRef getSecretRef() { return secretRef; }
  public void setSecretRef(SecretRef secretRef) { this.secretRef = secretRef; }
}
