package io.wavegate.contract;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Node contract v4: one small object per channel, named after it, that every agent watches. It names
 * the revisions no node may keep and the stable revision (one that completed every wave) to go back
 * to. On a breach the operator writes it once, and every agent holding a revoked revision reverts at
 * once, whatever the state of its own node's assignment: the revert does not wait for a write per
 * node. Written by the operator alone (RBAC and an admission policy); docs/node-contract.md.
 */
@Group(NodeContent.GROUP)
@Version(NodeContent.VERSION)
@ShortNames({"crv"})
@Singular("contentrevocation")
@Plural("contentrevocations")
@Categories({"wavegate"})
@AdditionalPrinterColumn(name = "REVOKED", jsonPath = ".spec.revoked[*].shortRevision")
@AdditionalPrinterColumn(name = "STABLE", jsonPath = ".spec.stable.shortRevision")
@AdditionalPrinterColumn(name = "REASON", jsonPath = ".spec.reason")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ContentRevocation extends CustomResource<ContentRevocationSpec, Void> {}
