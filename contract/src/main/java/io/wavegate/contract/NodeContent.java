package io.wavegate.contract;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Node contract (since version 2): wavegate's per-node state, in an object of its own named after its node and
 * owned by it, never on the Node (docs/node-contract.md). The operator writes only spec (the
 * assignment per channel), the node's agent only status (its report per channel).
 */
@Group(NodeContent.GROUP)
@Version(NodeContent.VERSION)
@ShortNames({"nc"})
// named rather than derived: fabric8 derives a plural with regular expressions in every object's
// constructor, and the operator decodes one NodeContent per node event (5 % of its CPU in a rollout)
@Singular("nodecontent")
@Plural("nodecontents")
@Categories({"wavegate"})
@AdditionalPrinterColumn(name = "CHANNELS", jsonPath = ".spec.channels[*].channel")
@AdditionalPrinterColumn(name = "ASSIGNED", jsonPath = ".spec.channels[*].shortRevision")
@AdditionalPrinterColumn(name = "WAVE", jsonPath = ".spec.channels[*].wave")
@AdditionalPrinterColumn(name = "REPORTED", jsonPath = ".status.channels[*].shortRevision")
@AdditionalPrinterColumn(name = "STATE", jsonPath = ".status.channels[*].state")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class NodeContent extends CustomResource<NodeContentSpec, NodeContentStatus> {

  public static final String GROUP = "wavegate.io";
  public static final String VERSION = "v1alpha1";
  public static final int CONTRACT_VERSION = 5;
}
