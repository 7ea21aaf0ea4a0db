package io.wavegate.api.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.Map;

/**
 * Descriptions the Java model cannot carry: the root, spec and status of each CRD, and the fields
 * of the Kubernetes types it embeds (LabelSelector, Condition), so that {@code kubectl explain}
 * describes every field. Fields of wavegate's own model are described where they are declared.
 */
final class SchemaDescriptions {

  private static final Map<String, String> ROOTS = Map.of(
      "contentrollouts.wavegate.io", "A rollout of one channel's endpoint content (a rule, signature, policy or config"
          + " file that node agents load) through node pools in waves: checked at a content gate first, watched under"
          + " health gates, rolled back on its own when they are passed (docs/api.md).",
      "nodecontents.wavegate.io", "wavegate's per-node state (node contract, docs/node-contract.md): named after its"
          + " node and owned by it; the operator writes the assignment per channel in spec, the node's agent its report"
          + " in status.",
      "contentrevocations.wavegate.io", "A channel's revoked revisions (node contract, docs/node-contract.md): written by"
          + " the operator alone on a breach or an abort, watched by every node agent; a node holding a revoked"
          + " revision goes back to the stable one at once.",
      "contentupdatepolicies.wavegate.io", "A node owner's say in when new content lands on their nodes: a ring, a delay,"
          + " a pin, allow and deny windows, jitter (docs/update-policies.md). Written by cluster admins and pool owners,"
          + " never by publishers; rollbacks and revocations pass every policy.",
      "contentmetrictemplates.wavegate.io", "A metric check written once by the platform team and referenced by the"
          + " metric gates of any ContentRollout with its arguments (healthGates.metrics[].templateRef,"
          + " docs/metric-gates.md). Written by cluster admins, only read by publishers and the operator.");
  private static final Map<String, String> SECTIONS = Map.of(
      "contentrollouts.wavegate.io.spec", "What to roll out, where, and how: content, validation, fleet and strategy.",
      "contentrollouts.wavegate.io.status", "Where the rollout stands, written by the operator alone.",
      "nodecontents.wavegate.io.spec", "The operator's assignments for this node, one per channel.",
      "nodecontents.wavegate.io.status", "This node's agent's reports, one per channel.",
      "contentrevocations.wavegate.io.spec", "The revisions no node may keep, and the stable revision to go back to.",
      "contentupdatepolicies.wavegate.io.spec", "Which nodes and channels it governs, and when they may take a new"
          + " revision.",
      "contentmetrictemplates.wavegate.io.spec", "The provider, the query with its arguments, the thresholds and what"
          + " no data means, as a metric gate writes them inline.");
  private static final Map<String, String> SELECTOR = Map.of(
      "matchLabels", "Labels a node must carry, each key with this value (ANDed with matchExpressions).",
      "matchExpressions", "Label requirements, all of which must hold.",
      "key", "The label key.",
      "operator", "In, NotIn, Exists or DoesNotExist.",
      "values", "Values for In and NotIn; empty for Exists and DoesNotExist.");
  private static final Map<String, String> CONDITION = Map.of(
      "type", "Validated, Ready, Reconciling or Stalled.",
      "status", "True, False or Unknown.",
      "reason", "Why, in one CamelCase word.",
      "message", "Why, for a person.",
      "lastTransitionTime", "When the status last changed.",
      "observedGeneration", "The generation of the spec the condition describes.");

  private SchemaDescriptions() {}

  static void describe(String crd, JSONSchemaProps root) {
    fill(root, ROOTS.get(crd));
    for (String section : new String[] {"spec", "status"}) {
      JSONSchemaProps part = root.getProperties() == null ? null : root.getProperties().get(section);
      if (part != null) {
        fill(part, SECTIONS.get(crd + "." + section));
      }
    }
    walk(root);
  }

  private static void walk(JSONSchemaProps schema) {
    if (schema == null) {
      return;
    }
    Map<String, JSONSchemaProps> properties = schema.getProperties();
    if (properties != null) {
      if (properties.containsKey("matchExpressions") && properties.containsKey("matchLabels")) {
        describeAll(properties, SELECTOR);
        JSONSchemaProps expression = properties.get("matchExpressions").getItems() == null ? null
            : properties.get("matchExpressions").getItems().getSchema();
        if (expression != null && expression.getProperties() != null) {
          describeAll(expression.getProperties(), SELECTOR);
        }
      }
      if (properties.containsKey("lastTransitionTime") && properties.containsKey("type")) {
        describeAll(properties, CONDITION);
      }
      properties.values().forEach(SchemaDescriptions::walk);
    }
    if (schema.getItems() != null) {
      walk(schema.getItems().getSchema());
    }
  }

  private static void describeAll(Map<String, JSONSchemaProps> properties, Map<String, String> descriptions) {
    descriptions.forEach((name, text) -> {
      if (properties.containsKey(name)) {
        fill(properties.get(name), text);
      }
    });
  }

  private static void fill(JSONSchemaProps schema, String description) {
    if (description != null && (schema.getDescription() == null || schema.getDescription().isBlank())) {
      schema.setDescription(description);
    }
  }
}
