package io.wavegate.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** What the node's agent reports for one channel. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ChannelReport extends ChannelEntry {

  @JsonPropertyDescription("Applied, or Failed with a reason.")
  private String state;
  @JsonPropertyDescription("Why it failed: DigestMismatch, SnapshotMissing, WriteError, Unsigned, BadSignature,"
      + " RevertedAfterReboot, HookFailed.")
  private String reason;
  @Size(max = 1024)
  @JsonPropertyDescription("Why, for a person (at most 1024 characters).")
  private String message;
  @JsonPropertyDescription("RFC 3339 time of the report.")
  private String at;
  @JsonPropertyDescription("RFC 3339 time the revision became the file on disk.")
  private String appliedAt;
  @JsonPropertyDescription("RFC 3339 time the agent confirmed the revision (the node stayed up with it for"
      + " confirmAfter); absent while it is tentative.")
  private String confirmedAt;

  public String getState() { return state; }
  public void setState(String state) { this.state = state; }
  public String getReason() { return reason; }
  public void setReason(String reason) { this.reason = reason; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public String getAt() { return at; }
  public void setAt(String at) { this.at = at; }
  public String getAppliedAt() { return appliedAt; }
  public void setAppliedAt(String appliedAt) { this.appliedAt = appliedAt; }
  public String getConfirmedAt() { return confirmedAt; }
  public void setConfirmedAt(String confirmedAt) { this.confirmedAt = confirmedAt; }
}
