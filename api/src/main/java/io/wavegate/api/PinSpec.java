package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Keeps the policy's nodes on one revision until a time: they take no other revision meanwhile. */
public class PinSpec {

  @Required
  @Size(max = 64)
  @ValidationRule(value = "self.matches('^[0-9a-f]{64}$')",
      message = "pin.revision must be the 64 lowercase hex characters of a revision's sha256 (as spec.content.sha256)")
  @JsonPropertyDescription("The revision the nodes stay on: its sha256, 64 hex as in spec.content.sha256 and"
      + " status.stableDigest. A node that holds another revision"
      + " keeps it and takes no new one; a node is never moved back to the pin.")
  private String revision;

  @Size(max = 35)
  @ValidationRule(value = "self.matches('^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$')",
      message = "pin.until must be an RFC 3339 time such as 2026-12-24T00:00:00Z")
  @JsonPropertyDescription("When the pin expires (RFC 3339); then the nodes take the stable revision. Default never.")
  private String until;

  public String getRevision() { return revision; }
  public void setRevision(String revision) { this.revision = revision; }
  public String getUntil() { return until; }
  public void setUntil(String until) { this.until = until; }
}
