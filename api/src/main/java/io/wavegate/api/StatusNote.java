package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Why a rollout stopped, waits, or failed to reconcile: a reason, a human message and the nodes concerned. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StatusNote {

  @JsonPropertyDescription("A CamelCase reason, also used as the condition reason and the Event reason.")
  private String reason;
  @JsonPropertyDescription("What happened, for humans.")
  private String message;
  @JsonPropertyDescription("The nodes concerned (at most 10).")
  private List<String> nodes = new ArrayList<>();

  public StatusNote() {}

  public StatusNote(String reason, String message, List<String> nodes) {
    this.reason = reason;
    this.message = message;
    this.nodes = nodes;
  }

  public String getReason() { return reason; }
  public void setReason(String reason) { this.reason = reason; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public List<String> getNodes() { return nodes; }
  public void setNodes(List<String> nodes) { this.nodes = nodes; }
}
