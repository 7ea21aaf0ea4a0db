package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A metric gate's measurements of the revision in flight. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricStatus {

  @JsonPropertyDescription("The metric gate.")
  private String name;
  @JsonPropertyDescription("The ContentMetricTemplate the last measurement used, for a gate that references one.")
  private String template;
  @JsonPropertyDescription("The generation (metadata.generation) of that template the last measurement used: an edit"
      + " takes effect on the next measurement.")
  private Long templateGeneration;
  @JsonPropertyDescription("The value last measured (the worst series).")
  private Double value;
  @JsonPropertyDescription("Passed, Failed, Ignored, Inconclusive or Error: the last measurement's outcome.")
  private String outcome;
  @JsonPropertyDescription("Why: the comparison made, or the provider's error.")
  private String message;
  @JsonPropertyDescription("RFC 3339 time of the last measurement.")
  private String at;
  @JsonPropertyDescription("Measurements of this revision.")
  private Integer measurements;
  @JsonPropertyDescription("Failed measurements of this revision (a breach beyond failureLimit).")
  private Integer failures;
  @JsonPropertyDescription("Provider errors in a row (a breach beyond consecutiveErrorLimit).")
  private Integer consecutiveErrors;
  @JsonPropertyDescription("A person promoted past an inconclusive (no data) result: no data no longer halts this revision.")
  private Boolean noDataAccepted;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getTemplate() { return template; }
  public void setTemplate(String template) { this.template = template; }
  public Long getTemplateGeneration() { return templateGeneration; }
  public void setTemplateGeneration(Long templateGeneration) { this.templateGeneration = templateGeneration; }
  public Double getValue() { return value; }
  public void setValue(Double value) { this.value = value; }
  public String getOutcome() { return outcome; }
  public void setOutcome(String outcome) { this.outcome = outcome; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public String getAt() { return at; }
  public void setAt(String at) { this.at = at; }
  public Integer getMeasurements() { return measurements; }
  public void setMeasurements(Integer measurements) { this.measurements = measurements; }
  public Integer getFailures() { return failures; }
  public void setFailures(Integer failures) { this.failures = failures; }
  public Integer getConsecutiveErrors() { return consecutiveErrors; }
  public void setConsecutiveErrors(Integer consecutiveErrors) { this.consecutiveErrors = consecutiveErrors; }
  public Boolean getNoDataAccepted() { return noDataAccepted; }
  public void setNoDataAccepted(Boolean noDataAccepted) { this.noDataAccepted = noDataAccepted; }
}
