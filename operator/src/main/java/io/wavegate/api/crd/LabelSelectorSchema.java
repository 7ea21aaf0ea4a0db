package io.wavegate.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRuleBuilder;
import java.util.List;
import java.util.Map;

/**
 * Gives every LabelSelector of the CRD the rules Kubernetes itself applies to one: the generator
 * emits a selector as free strings, so {@code operator: Matches} or {@code In} without values were
 * admitted and only failed when matched against nodes. Now the API server refuses them.
 */
final class LabelSelectorSchema {

  static final String QUALIFIED_NAME =
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$";
  static final String LABEL_VALUE = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";
  static final List<String> OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist");
  static final String VALUES_RULE =
      "self.operator in ['In', 'NotIn'] ? (has(self.values) && size(self.values) > 0) : (!has(self.values) || size(self.values) == 0)";
  static final String VALUES_MESSAGE =
      "matchExpressions: operators In and NotIn need at least one value; Exists and DoesNotExist take no values";

  private LabelSelectorSchema() {}

  static void refuseWhatKubernetesRefuses(JSONSchemaProps schema) {
    if (schema == null) {
      return;
    }
    Map<String, JSONSchemaProps> properties = schema.getProperties();
    if (properties != null && properties.containsKey("matchExpressions") && properties.containsKey("matchLabels")) {
      constrain(properties.get("matchExpressions"), properties.get("matchLabels"));
      return;
    }
    if (properties != null) {
      properties.values().forEach(LabelSelectorSchema::refuseWhatKubernetesRefuses);
    }
    if (schema.getItems() != null) {
      refuseWhatKubernetesRefuses(schema.getItems().getSchema());
    }
  }

  private static void constrain(JSONSchemaProps expressions, JSONSchemaProps matchLabels) {
    expressions.setMaxItems(32L);
    JSONSchemaProps requirement = expressions.getItems().getSchema();
    requirement.setRequired(List.of("key", "operator"));
    JSONSchemaProps key = requirement.getProperties().get("key");
    key.setMaxLength(317L);
    key.setPattern(QUALIFIED_NAME);
    JSONSchemaProps operator = requirement.getProperties().get("operator");
    operator.setEnum(OPERATORS.stream().map(o -> (JsonNode) TextNode.valueOf(o)).toList());
    JSONSchemaProps values = requirement.getProperties().get("values");
    values.setMaxItems(256L);
    values.getItems().getSchema().setMaxLength(63L);
    values.getItems().getSchema().setPattern(LABEL_VALUE);
    ValidationRule rule = new ValidationRuleBuilder().withRule(VALUES_RULE).withMessage(VALUES_MESSAGE).build();
    requirement.setXKubernetesValidations(List.of(rule));
    matchLabels.setMaxProperties(64L);
    JSONSchemaProps labelValue = matchLabels.getAdditionalProperties().getSchema();
    labelValue.setMaxLength(63L);
    labelValue.setPattern(LABEL_VALUE);
  }

}
