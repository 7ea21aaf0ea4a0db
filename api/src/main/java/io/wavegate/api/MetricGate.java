package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A crash metric the fleet already has in Prometheus, measured over the nodes updated so far
 * (docs/metric-gates.md): written inline (provider and query), or a reference to a
 * ContentMetricTemplate with its arguments, whose fields this gate may override (all but provider and
 * query). Measured every interval from a wave's first assignment to the end of its bake; a failed
 * measurement beyond failureLimit is a breach.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.templateRef) ? !has(self.provider) && !has(self.query)"
    + " : has(self.provider) && has(self.query)",
    message = "a metric gate has either a templateRef, or a provider and a query, not both")
@ValidationRule(value = "has(self.templateRef) || has(self.min) || has(self.max) || has(self.baseline)",
    message = "a metric needs a threshold: min, max or a baseline")
public class MetricGate extends MetricCheck {

  @Required
  @Size(min = 1, max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of the metric gate, unique in its list: status and Events name it.")
  private String name;

  @JsonPropertyDescription("A ContentMetricTemplate written once by the platform team, with its arguments, instead of"
      + " provider and query. Fields set here (interval, thresholds, limits, noData) override the template's.")
  private MetricTemplateRef templateRef;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public MetricTemplateRef getTemplateRef() { return templateRef; }
  public void setTemplateRef(MetricTemplateRef templateRef) { this.templateRef = templateRef; }
}
