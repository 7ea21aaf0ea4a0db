package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** The same query over the nodes still on the stable revision, as the yardstick. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.maxRatio) || has(self.maxMargin)", message = "a baseline needs maxRatio or maxMargin")
public class MetricBaseline {

  @ValidationRule(value = "self >= 1.0", message = "maxRatio must be at least 1")
  @JsonPropertyDescription("Fails when the updated nodes' value exceeds the baseline's times this (and any maxMargin).")
  private Double maxRatio;

  @ValidationRule(value = "self >= 0.0", message = "maxMargin must not be negative")
  @JsonPropertyDescription("Fails when the updated nodes' value exceeds the baseline's plus this (and any maxRatio).")
  private Double maxMargin;

  public Double getMaxRatio() { return maxRatio; }
  public void setMaxRatio(Double maxRatio) { this.maxRatio = maxRatio; }
  public Double getMaxMargin() { return maxMargin; }
  public void setMaxMargin(Double maxMargin) { this.maxMargin = maxMargin; }
}
