package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * What a metric check is, shared by a rollout's metric gate and a ContentMetricTemplate: where it is
 * queried, the query, how often, its thresholds and what no data means. A field left out is null:
 * the API server fills in no default, so that a gate referencing a template can tell "left out" (the
 * template's value) from "set"; the operator applies the documented defaults last.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricCheck {

  public static final String DEFAULT_INTERVAL = "30s";
  public static final int DEFAULT_FAILURE_LIMIT = 0;
  public static final int DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;
  public static final MetricNoData DEFAULT_NO_DATA = MetricNoData.Inconclusive;

  @JsonPropertyDescription("Where the metric is queried.")
  private MetricProvider provider;

  @Size(min = 1, max = 4096)
  @JsonPropertyDescription("PromQL instant query, a template: {{nodes}} is a regex of the nodes updated so far in"
      + " this rollout (node=~\"{{nodes}}\"), {{waveNodes}} those of the current wave, {{channel}}, {{revision}},"
      + " {{shortRevision}}, {{wave}}, and in a ContentMetricTemplate {{args.NAME}} its arguments. With a baseline,"
      + " the same query with {{nodes}} the nodes still on the stable revision. A vector of several series is judged"
      + " by its worst.")
  private String query;

  @Size(max = 32)
  @ValidationRule(value = SchemaRules.DURATION + " && !self.matches('^0+(ms|s|m|h)$')",
      message = "interval must be a positive duration such as 30s or 1m")
  @JsonPropertyDescription("How often it is measured. Default 30s.")
  private String interval;

  @JsonPropertyDescription("A measurement below this fails.")
  private Double min;

  @JsonPropertyDescription("A measurement above this fails.")
  private Double max;

  @Min(0)
  @Max(1000)
  @JsonPropertyDescription("Failed measurements tolerated before it is a breach (MetricThreshold). Default 0.")
  private Integer failureLimit;

  @Min(0)
  @Max(1000)
  @JsonPropertyDescription("Provider errors in a row tolerated before it is a breach (MetricProviderError). Default 4.")
  private Integer consecutiveErrorLimit;

  @JsonPropertyDescription("An empty result: Fail (a failed measurement), Ignore (not counted), or Inconclusive (the"
      + " rollout halts for a person: promote continues, abort rolls back). Default Inconclusive.")
  private MetricNoData noData;

  @JsonPropertyDescription("Compare with the nodes still on the stable revision instead of (or besides) fixed"
      + " thresholds: fails when the updated nodes' value exceeds the baseline's by maxRatio and/or maxMargin.")
  private MetricBaseline baseline;

  public MetricProvider getProvider() { return provider; }
  public void setProvider(MetricProvider provider) { this.provider = provider; }
  public String getQuery() { return query; }
  public void setQuery(String query) { this.query = query; }
  public String getInterval() { return interval; }
  public void setInterval(String interval) { this.interval = interval; }
  public Double getMin() { return min; }
  public void setMin(Double min) { this.min = min; }
  public Double getMax() { return max; }
  public void setMax(Double max) { this.max = max; }
  public Integer getFailureLimit() { return failureLimit; }
  public void setFailureLimit(Integer failureLimit) { this.failureLimit = failureLimit; }
  public Integer getConsecutiveErrorLimit() { return consecutiveErrorLimit; }
  public void setConsecutiveErrorLimit(Integer consecutiveErrorLimit) { this.consecutiveErrorLimit = consecutiveErrorLimit; }
  public MetricNoData getNoData() { return noData; }
  public void setNoData(MetricNoData noData) { this.noData = noData; }
  public MetricBaseline getBaseline() { return baseline; }
  public void setBaseline(MetricBaseline baseline) { this.baseline = baseline; }
}
