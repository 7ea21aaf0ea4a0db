package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** What the node's agent reports for one channel. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ChannelReport extends ChannelEntry {

  @JsonPropertyDescription("Applied, or Failed with a reason.")
  private String state;
  @JsonPropertyDescription("Why it failed: DigestMismatch, SnapshotMissing, WriteError, ...")
  private String reason;
  @Size(max = 1024)
  private String message;
  @JsonPropertyDescription("RFC 3339 time of the report.")
  private String at;

  public String getState() { return state; }
  public void setState(String state) { this.state = state; }
  public String getReason() { return reason; }
  public void setReason(String reason) { this.reason = reason; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public String getAt() { return at; }
  public void setAt(String at) { this.at = at; }
}
