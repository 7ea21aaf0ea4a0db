package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Keeps the policy's nodes on one revision until a time: they take no other revision meanwhile. */
public class PinSpec {

  @Required
  @ValidationRule(value = "self.matches('^sha256:[0-9a-f]{64}$')", message = "pin.revision must be sha256:<64 hex>")
  @JsonPropertyDescription("The revision the nodes stay on (sha256:<64 hex>). A node that holds another revision"
      + " keeps it and takes no new one; a node is never moved back to the pin.")
  private String revision;

  @ValidationRule(value = "self.matches('^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$')",
      message = "pin.until must be an RFC 3339 time such as 2026-12-24T00:00:00Z")
  @JsonPropertyDescription("When the pin expires (RFC 3339); then the nodes take the stable revision. Default never.")
  private String until;

  public String getRevision() { return revision; }
  public void setRevision(String revision) { this.revision = revision; }
  public String getUntil() { return until; }
  public void setUntil(String until) { this.until = until; }
}
