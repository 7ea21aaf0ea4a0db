package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The content gate's verdict on the revision in flight. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GateStatus {

  @JsonPropertyDescription("Passed, Rejected, or Pending (waiting for a source or a validator Job).")
  private String outcome;
  @JsonPropertyDescription("Passed, the reason of a rejection (ZeroFilled, DigestMismatch, ...) or of the wait.")
  private String reason;
  @JsonPropertyDescription("The checks that ran, or what failed.")
  private String message;

  public GateStatus() {}

  public GateStatus(String outcome, String reason, String message) {
    this.outcome = outcome;
    this.reason = reason;
    this.message = message;
  }

  public String getOutcome() { return outcome; }
  public void setOutcome(String outcome) { this.outcome = outcome; }
  public String getReason() { return reason; }
  public void setReason(String reason) { this.reason = reason; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
}
