package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

@ValidationRule(value = "(has(self.pools) && self.pools.size() > 0) || has(self.nodeSelector)",
    message = "each wave needs pools or a nodeSelector")
public class WaveSpec {

  @Required
  @Size(min = 1, max = 63)
  @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
      message = "wave name must be a DNS label (lowercase letters, digits, '-')")
  @JsonPropertyDescription("Name of the wave, unique in the rollout: status, Events and node assignments name it.")
  private String name;

  @Size(max = 32)
  @JsonPropertyDescription("Pools (values of strategy.poolLabel) whose nodes form this wave.")
  private List<@Size(max = 63) String> pools;

  @JsonPropertyDescription("Alternative to pools: a label selector for this wave's nodes.")
  private LabelSelector nodeSelector;

  @ValidationRule(value = SchemaRules.COUNT_OR_PERCENT, message = "maxNodes " + SchemaRules.COUNT_OR_PERCENT_MESSAGE)
  @JsonPropertyDescription("At most this many of the wave's candidate nodes: a count or a percent. Default all.")
  private IntOrString maxNodes;

  @Size(max = 32)
  @ValidationRule(value = SchemaRules.DURATION, message = "bakeTime " + SchemaRules.DURATION_MESSAGE)
  @JsonPropertyDescription("How long the wave is watched under the health gates after it is applied. Default 0s.")
  private String bakeTime;

  @ValidationRule(value = SchemaRules.COUNT_OR_PERCENT,
      message = "maxUnavailableNodes " + SchemaRules.COUNT_OR_PERCENT_MESSAGE)
  @JsonPropertyDescription("Overrides strategy.maxUnavailableNodes for this wave.")
  private IntOrString maxUnavailableNodes;

  @JsonPropertyDescription("Overrides of strategy.healthGates for this wave.")
  private HealthGates healthGates;

  @JsonPropertyDescription("Manual: the wave does not start on its own once the one before it completed; it waits"
      + " (status.wait reason AwaitingApproval) for `kubectl wavegate approve NAME` (the annotation"
      + " wavegate.io/approve), or promote when no wave is baking. Default Automatic.")
  private WaveApproval approval;

  @Size(max = 8)
  @JsonPropertyDescription("HTTP webhooks asked before the wave starts (PreWave: a no holds it) and after its bake"
      + " (PostBake: a no rolls back), as Flagger's confirm-rollout and confirm-promotion.")
  private List<WaveWebhook> webhooks;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public List<String> getPools() { return pools; }
  public void setPools(List<String> pools) { this.pools = pools; }
  public LabelSelector getNodeSelector() { return nodeSelector; }
  public void setNodeSelector(LabelSelector nodeSelector) { this.nodeSelector = nodeSelector; }
  public IntOrString getMaxNodes() { return maxNodes; }
  public void setMaxNodes(IntOrString maxNodes) { this.maxNodes = maxNodes; }
  public String getBakeTime() { return bakeTime; }
  public void setBakeTime(String bakeTime) { this.bakeTime = bakeTime; }
  public IntOrString getMaxUnavailableNodes() { return maxUnavailableNodes; }
  public void setMaxUnavailableNodes(IntOrString maxUnavailableNodes) { this.maxUnavailableNodes = maxUnavailableNodes; }
  public HealthGates getHealthGates() { return healthGates; }
  public List<WaveWebhook> getWebhooks() { return webhooks; }
  public void setWebhooks(List<WaveWebhook> webhooks) { this.webhooks = webhooks; }
  public WaveApproval getApproval() { return approval; }
  public void setApproval(WaveApproval approval) { this.approval = approval; }
  public void setHealthGates(HealthGates healthGates) { this.healthGates = healthGates; }
}
