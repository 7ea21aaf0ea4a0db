package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * Limits a rollout must stay within. Counts or percents of the nodes updated so far; a limit left
 * out inherits from strategy.healthGates, and from there defaults to 0 (any breach stops the rollout).
 */
public class HealthGates {

  @ValidationRule(value = SchemaRules.COUNT_OR_PERCENT, message = "maxUnreadyNodes " + SchemaRules.COUNT_OR_PERCENT_MESSAGE)
  @JsonPropertyDescription("Updated nodes whose Ready condition left True (nodes already unready at assignment are not counted).")
  private IntOrString maxUnreadyNodes;

  @ValidationRule(value = SchemaRules.COUNT_OR_PERCENT, message = "maxNodeReboots " + SchemaRules.COUNT_OR_PERCENT_MESSAGE)
  @JsonPropertyDescription("Updated nodes whose boot ID changed since assignment.")
  private IntOrString maxNodeReboots;

  @ValidationRule(value = SchemaRules.COUNT_OR_PERCENT, message = "maxCrashingPods " + SchemaRules.COUNT_OR_PERCENT_MESSAGE)
  @JsonPropertyDescription("Pods matching crashingPodSelector on updated nodes that crashed after assignment.")
  private IntOrString maxCrashingPods;

  @JsonPropertyDescription("Pods whose crashes count against maxCrashingPods. Default: none are watched.")
  private LabelSelector crashingPodSelector;

  @ValidationRule(value = SchemaRules.COUNT_OR_PERCENT, message = "maxContentFailures " + SchemaRules.COUNT_OR_PERCENT_MESSAGE)
  @JsonPropertyDescription("Nodes whose agent reported the new revision rejected or failed.")
  private IntOrString maxContentFailures;

  @Size(max = 32)
  @ValidationRule(value = SchemaRules.DURATION, message = "progressDeadline " + SchemaRules.DURATION_MESSAGE)
  @JsonPropertyDescription("A wave must be fully applied within this. Default 10m.")
  private String progressDeadline;

  @Size(max = 16)
  @ValidationRule(value = "self.all(m, self.filter(x, x.name == m.name).size() == 1)",
      message = "metric names must be unique")
  @JsonPropertyDescription("Crash metrics in Prometheus over the updated nodes (docs/metric-gates.md). A wave's list"
      + " replaces the strategy's.")
  private java.util.List<MetricGate> metrics;

  public java.util.List<MetricGate> getMetrics() { return metrics; }
  public void setMetrics(java.util.List<MetricGate> metrics) { this.metrics = metrics; }
  public IntOrString getMaxUnreadyNodes() { return maxUnreadyNodes; }
  public void setMaxUnreadyNodes(IntOrString maxUnreadyNodes) { this.maxUnreadyNodes = maxUnreadyNodes; }
  public IntOrString getMaxNodeReboots() { return maxNodeReboots; }
  public void setMaxNodeReboots(IntOrString maxNodeReboots) { this.maxNodeReboots = maxNodeReboots; }
  public IntOrString getMaxCrashingPods() { return maxCrashingPods; }
  public void setMaxCrashingPods(IntOrString maxCrashingPods) { this.maxCrashingPods = maxCrashingPods; }
  public LabelSelector getCrashingPodSelector() { return crashingPodSelector; }
  public void setCrashingPodSelector(LabelSelector crashingPodSelector) { this.crashingPodSelector = crashingPodSelector; }
  public IntOrString getMaxContentFailures() { return maxContentFailures; }
  public void setMaxContentFailures(IntOrString maxContentFailures) { this.maxContentFailures = maxContentFailures; }
  public String getProgressDeadline() { return progressDeadline; }
  public void setProgressDeadline(String progressDeadline) { this.progressDeadline = progressDeadline; }
}
