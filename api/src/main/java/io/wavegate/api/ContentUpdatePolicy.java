package io.wavegate.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The node owner's say in when content lands on their nodes: a ring, a delay, a pin, windows. Written by
 * cluster admins and pool owners, never by publishers. Cluster-scoped, like the nodes it governs. It has
 * no status of its own: each ContentRollout's status.holds says which nodes it holds and why.
 */
@Group(ContentRollout.GROUP)
@Version(ContentRollout.VERSION)
@ShortNames({"cup"})
@Singular("contentupdatepolicy")
@Plural("contentupdatepolicies")
@Categories({"wavegate"})
@AdditionalPrinterColumn(name = "RING", jsonPath = ".spec.ring")
@AdditionalPrinterColumn(name = "PRECEDENCE", jsonPath = ".spec.precedence", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "DELAY", jsonPath = ".spec.delay")
@AdditionalPrinterColumn(name = "PIN", jsonPath = ".spec.pin.revision")
@AdditionalPrinterColumn(name = "OVERRIDE", jsonPath = ".spec.override")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ContentUpdatePolicy extends CustomResource<ContentUpdatePolicySpec, Void> {
}
