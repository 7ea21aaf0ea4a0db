package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;

public class ContentRolloutSpec {

  @Required
  @JsonPropertyDescription("The content to deliver: its digest, where to read it, and its file name on nodes.")
  private ContentSpec content;

  @JsonPropertyDescription("Checks run on the exact bytes before any node sees them.")
  private ValidationSpec validation;

  @JsonPropertyDescription("The fleet: nodes that receive this channel. Default: all nodes.")
  private LabelSelector nodeSelector;

  @Required
  @JsonPropertyDescription("How the content moves through the fleet: waves, health gates, rollback.")
  private StrategySpec strategy;

  @Default("false")
  @JsonPropertyDescription("While true, no wave starts and no node is assigned the new revision.")
  private Boolean paused = false;

  @Default("false")
  @JsonPropertyDescription("A critical channel (a fix that must land) passes update policies that are Paused,"
      + " overridden to Pause, or pinned; windows and delays still apply. Who may set it: docs/update-policies.md.")
  private Boolean critical = false;

  public ContentSpec getContent() { return content; }
  public void setContent(ContentSpec content) { this.content = content; }
  public ValidationSpec getValidation() { return validation; }
  public void setValidation(ValidationSpec validation) { this.validation = validation; }
  public LabelSelector getNodeSelector() { return nodeSelector; }
  public void setNodeSelector(LabelSelector nodeSelector) { this.nodeSelector = nodeSelector; }
  public StrategySpec getStrategy() { return strategy; }
  public void setStrategy(StrategySpec strategy) { this.strategy = strategy; }
  public Boolean getPaused() { return paused; }
  public void setPaused(Boolean paused) { this.paused = paused; }
  public Boolean getCritical() { return critical; }
  public void setCritical(Boolean critical) { this.critical = critical; }
}
