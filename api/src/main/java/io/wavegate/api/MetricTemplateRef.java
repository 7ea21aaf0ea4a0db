package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** A metric gate's reference to a ContentMetricTemplate, with the values of its arguments. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricTemplateRef {

  @Required
  @Size(min = 1, max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of the ContentMetricTemplate (cluster-scoped).")
  private String name;

  @Size(max = 16)
  @ValidationRule(value = "self.all(a, self.filter(x, x.name == a.name).size() == 1)",
      message = "argument names must be unique")
  @ValidationRule(value = "self.all(a, has(a.value))", message = "every argument of a templateRef needs a value")
  @JsonPropertyDescription("Values of the template's arguments: each one the template declares without a default is"
      + " needed, and none it does not declare is accepted.")
  private List<MetricArg> args;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public List<MetricArg> getArgs() { return args; }
  public void setArgs(List<MetricArg> args) { this.args = args; }
}
