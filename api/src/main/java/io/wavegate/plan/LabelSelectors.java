package io.wavegate.plan;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kubernetes label-selector semantics, on plain maps. A null selector matches everything. Never
 * throws: a requirement Kubernetes would refuse (unknown operator, missing key or values) matches
 * nothing, and {@link #problem} names it so that the rollout can say why it cannot be evaluated.
 */
public final class LabelSelectors {

  private static final List<String> OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist");

  private LabelSelectors() {}

  /** An object's labels, empty when it has none. */
  public static Map<String, String> labelsOf(HasMetadata resource) {
    return resource.getMetadata().getLabels() == null ? Map.of() : resource.getMetadata().getLabels();
  }

  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> required : selector.getMatchLabels().entrySet()) {
        if (required.getValue() == null || !required.getValue().equals(labels.get(required.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
        if (!matches(requirement, labels)) {
          return false;
        }
      }
    }
    return true;
  }

  /** What Kubernetes would refuse in this selector, if anything. */
  public static Optional<String> problem(LabelSelector selector) {
    if (selector == null || selector.getMatchExpressions() == null) {
      return Optional.empty();
    }
    for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
      if (requirement == null || requirement.getKey() == null || requirement.getKey().isEmpty()) {
        return Optional.of("a matchExpressions entry has no key");
      }
      String operator = requirement.getOperator();
      int values = requirement.getValues() == null ? 0 : requirement.getValues().size();
      if (operator == null || !OPERATORS.contains(operator)) {
        return Optional.of("matchExpressions key " + requirement.getKey() + ": operator " + operator
            + " is not one of " + OPERATORS);
      }
      if ((operator.equals("In") || operator.equals("NotIn")) == (values == 0)) {
        return Optional.of("matchExpressions key " + requirement.getKey() + ": operator " + operator
            + (values == 0 ? " needs at least one value" : " takes no values"));
      }
    }
    return Optional.empty();
  }

  private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
    if (requirement == null || requirement.getKey() == null || requirement.getOperator() == null) {
      return false;
    }
    String value = labels.get(requirement.getKey());
    List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
    return switch (requirement.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> labels.containsKey(requirement.getKey());
      case "DoesNotExist" -> !labels.containsKey(requirement.getKey());
      default -> false;
    };
  }
}
