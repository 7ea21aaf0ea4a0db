package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** A metric check as a metric gate writes it inline, with named arguments its query uses as {{args.NAME}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.provider) && has(self.query)", message = "a metric template needs a provider and a query")
@ValidationRule(value = "has(self.min) || has(self.max) || has(self.baseline)",
    message = "a metric needs a threshold: min, max or a baseline")
public class ContentMetricTemplateSpec extends MetricCheck {

  @Size(max = 16)
  @ValidationRule(value = "self.all(a, self.filter(x, x.name == a.name).size() == 1)",
      message = "argument names must be unique")
  @JsonPropertyDescription("The arguments the query uses as {{args.NAME}}: one with a value has that default, one"
      + " without must be given by every gate that references the template.")
  private List<MetricArg> args;

  public List<MetricArg> getArgs() { return args; }
  public void setArgs(List<MetricArg> args) { this.args = args; }
}
