package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A named argument of a metric template: declared by the template (with a default value or none) and
 * given a value by the gates that reference it. A value goes into the PromQL query as written, so it
 * is restricted to characters that cannot end a string, a label matcher, a range or a call: a gate's
 * arguments choose among the series the template's author meant, never rewrite the query.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricArg {

  /** Letters, digits and {@code _ . : / | * + -}: enough for a job, a label name, a duration, a regex of names. */
  public static final String VALUE = "^[A-Za-z0-9_.:/|*+-]*$";

  @Required
  @Size(min = 1, max = 63)
  @Pattern("^[A-Za-z][A-Za-z0-9_-]*$")
  @JsonPropertyDescription("The argument's name: the query uses it as {{args.NAME}}.")
  private String name;

  @Size(max = 253)
  @ValidationRule(value = "self.matches('" + VALUE + "')",
      message = "an argument value may hold only letters, digits and _ . : / | * + - (it goes into the query as written)")
  @JsonPropertyDescription("The value. In a template: the default, and an argument without one must be given by"
      + " every gate that references it.")
  private String value;

  public MetricArg() {}

  public MetricArg(String name, String value) {
    this.name = name;
    this.value = value;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getValue() { return value; }
  public void setValue(String value) { this.value = value; }
}
