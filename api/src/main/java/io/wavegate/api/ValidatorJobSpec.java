package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

public class ValidatorJobSpec {

  @Required
  @PreserveUnknownFields
  @SchemaFrom(type = JsonNode.class)
  @JsonPropertyDescription("Pod template of the validator Job. The snapshot is mounted read-only at /content.")
  private PodTemplateSpec template;

  @Default("5m")
  @Size(max = 32)
  @ValidationRule(value = SchemaRules.DURATION, message = "timeout " + SchemaRules.DURATION_MESSAGE)
  @JsonPropertyDescription("How long the Job may run before the content is rejected. Default 5m.")
  private String timeout = "5m";

  public PodTemplateSpec getTemplate() { return template; }
  public void setTemplate(PodTemplateSpec template) { this.template = template; }
  public String getTimeout() { return timeout; }
  public void setTimeout(String timeout) { this.timeout = timeout; }
}
