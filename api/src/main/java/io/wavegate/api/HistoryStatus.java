package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One revision's outcome in status.history. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HistoryStatus {

  @JsonPropertyDescription("Full sha256 of the revision.")
  private String revision;
  @JsonPropertyDescription("Succeeded, RolledBack, Rejected or Superseded.")
  private String outcome;
  @JsonPropertyDescription("Why it ended so: the breach, the gate's reason, or nothing for a success.")
  private String reason;
  @JsonPropertyDescription("RFC 3339 time its first wave started (its validation, for a rejected revision).")
  private String startedAt;
  @JsonPropertyDescription("RFC 3339 time it ended.")
  private String finishedAt;

  public String getRevision() { return revision; }
  public void setRevision(String revision) { this.revision = revision; }
  public String getOutcome() { return outcome; }
  public void setOutcome(String outcome) { this.outcome = outcome; }
  public String getReason() { return reason; }
  public void setReason(String reason) { this.reason = reason; }
  public String getStartedAt() { return startedAt; }
  public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
  public String getFinishedAt() { return finishedAt; }
  public void setFinishedAt(String finishedAt) { this.finishedAt = finishedAt; }
}
