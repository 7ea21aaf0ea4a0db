package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

@ValidationRule(value = "(has(self.pools) && self.pools.size() > 0) || has(self.nodeSelector)",
    message = "a policy needs pools or a nodeSelector: the nodes it governs")
public class ContentUpdatePolicySpec {

  @Size(max = 32)
  @JsonPropertyDescription("Pools (values of each channel's strategy.poolLabel) whose nodes this policy governs.")
  private List<@Size(max = 63) String> pools;

  @JsonPropertyDescription("Alternative to pools: a label selector for the nodes this policy governs.")
  private LabelSelector nodeSelector;

  @JsonPropertyDescription("The channels it governs: by name or label selector. Default all channels.")
  private ChannelSelection channels;

  @Default("0")
  @Min(0)
  @Max(1000)
  @JsonPropertyDescription("Where policies overlap on a node and channel, the one with the highest precedence governs"
      + " it alone (equal precedence: the name first in alphabetical order). Default 0.")
  private Integer precedence = 0;

  @Default("GeneralAvailability")
  @JsonPropertyDescription("EarlyAccess: take a revision as soon as the wave starts. GeneralAvailability: take it"
      + " once the early-access nodes have it, after delay. Paused: take no new revision (critical channels pass).")
  private UpdateRing ring = UpdateRing.GeneralAvailability;

  @Size(max = 32)
  @ValidationRule(value = SchemaRules.DURATION, message = "delay " + SchemaRules.DURATION_MESSAGE)
  @JsonPropertyDescription("GeneralAvailability only: how long after the revision became generally available"
      + " (status.generallyAvailableAt) these nodes may take it, e.g. 24h. Default 0s.")
  private String delay;

  @JsonPropertyDescription("Keep the nodes on one revision until a time (critical channels pass).")
  private PinSpec pin;

  @Size(max = 16)
  @JsonPropertyDescription("When the nodes may take new content: allow windows (only inside them) and deny windows"
      + " (freezes). Rollbacks and revocations pass every window.")
  private List<UpdateWindow> windows;

  @Size(max = 32)
  @ValidationRule(value = SchemaRules.DURATION, message = "jitter " + SchemaRules.DURATION_MESSAGE)
  @JsonPropertyDescription("Spreads the nodes' start over this long after a window opens or the delay ends; each"
      + " node's share is fixed by its name and the revision. Default 0s.")
  private String jitter;

  @JsonPropertyDescription("Set by kubectl wavegate override: Allow sets every hold of this policy aside, Pause"
      + " holds every new revision. Unset: the policy as written.")
  private PolicyOverride override;

  public List<String> getPools() { return pools; }
  public void setPools(List<String> pools) { this.pools = pools; }
  public LabelSelector getNodeSelector() { return nodeSelector; }
  public void setNodeSelector(LabelSelector nodeSelector) { this.nodeSelector = nodeSelector; }
  public ChannelSelection getChannels() { return channels; }
  public void setChannels(ChannelSelection channels) { this.channels = channels; }
  public Integer getPrecedence() { return precedence; }
  public void setPrecedence(Integer precedence) { this.precedence = precedence; }
  public UpdateRing getRing() { return ring; }
  public void setRing(UpdateRing ring) { this.ring = ring; }
  public String getDelay() { return delay; }
  public void setDelay(String delay) { this.delay = delay; }
  public PinSpec getPin() { return pin; }
  public void setPin(PinSpec pin) { this.pin = pin; }
  public List<UpdateWindow> getWindows() { return windows; }
  public void setWindows(List<UpdateWindow> windows) { this.windows = windows; }
  public String getJitter() { return jitter; }
  public void setJitter(String jitter) { this.jitter = jitter; }
  public PolicyOverride getOverride() { return override; }
  public void setOverride(PolicyOverride override) { this.override = override; }
}
