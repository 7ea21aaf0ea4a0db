package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Nodes one update policy holds back from the revision in flight, for one reason. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HoldStatus {

  @JsonPropertyDescription("The ContentUpdatePolicy that holds them.")
  private String policy;
  @JsonPropertyDescription("Paused, OverriddenToPause, Pinned, AwaitingEarlyAccess, Delayed, OutsideWindow, DenyWindow,"
      + " Jitter or InvalidPolicy.")
  private String reason;
  @JsonPropertyDescription("Why, for a person.")
  private String message;
  @JsonPropertyDescription("RFC 3339 time the first of them becomes eligible; absent when the policy cannot tell (Paused,"
      + " a pin without expiry).")
  private String nextEligibleAt;
  @JsonPropertyDescription("How many nodes it holds for this reason.")
  private Integer count;
  @JsonPropertyDescription("The nodes held (at most 10).")
  private List<String> nodes = new ArrayList<>();

  public String getPolicy() { return policy; }
  public void setPolicy(String policy) { this.policy = policy; }
  public String getReason() { return reason; }
  public void setReason(String reason) { this.reason = reason; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public String getNextEligibleAt() { return nextEligibleAt; }
  public void setNextEligibleAt(String nextEligibleAt) { this.nextEligibleAt = nextEligibleAt; }
  public Integer getCount() { return count; }
  public void setCount(Integer count) { this.count = count; }
  public List<String> getNodes() { return nodes; }
  public void setNodes(List<String> nodes) { this.nodes = nodes; }
}
