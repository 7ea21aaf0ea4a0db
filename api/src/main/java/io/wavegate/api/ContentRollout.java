package io.wavegate.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.fabric8.kubernetes.client.CustomResource;

/**
 * A stream of endpoint content (the channel, named by metadata.name) rolled out to nodes in waves.
 * Cluster-scoped: it changes nodes, so only cluster admins should be able to create one.
 */
@Group(ContentRollout.GROUP)
@Version(ContentRollout.VERSION)
@ShortNames({"cro"})
@Singular("contentrollout")
@Plural("contentrollouts")
@Categories({"wavegate"})
@ValidationRule(
    value = "self.metadata.name.size() <= 50 && self.metadata.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
    message = "metadata.name is the channel and must be a DNS label (lowercase letters, digits, '-') of at most 50 characters")
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "WAVE", jsonPath = ".status.currentWaveName")
@AdditionalPrinterColumn(name = "NODES", jsonPath = ".status.nodes")
@AdditionalPrinterColumn(name = "REVISION", jsonPath = ".status.revision")
@AdditionalPrinterColumn(name = "STABLE", jsonPath = ".status.stableRevision")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "UNAVAILABLE", jsonPath = ".status.unavailableNodes", type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "HELD", jsonPath = ".status.heldNodes", type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "BAKE-UNTIL", jsonPath = ".status.bakeUntil", priority = 1)
@AdditionalPrinterColumn(name = "MESSAGE", jsonPath = ".status.message", priority = 1)
public class ContentRollout extends CustomResource<ContentRolloutSpec, ContentRolloutStatus> {

  public static final String GROUP = "wavegate.io";
  public static final String VERSION = "v1alpha1";

  /** The channel: the content stream's identity on nodes. */
  public String channel() {
    return getMetadata().getName();
  }
}
