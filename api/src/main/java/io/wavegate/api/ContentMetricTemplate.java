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
 * A metric check written once by the platform team and referenced by name from the metric gates of
 * any ContentRollout (healthGates.metrics[].templateRef), with its arguments. Cluster-scoped; written
 * by cluster admins, only read by publishers and the operator. It has no status of its own: each
 * rollout's status.health.metrics says which generation of it was measured.
 */
@Group(ContentRollout.GROUP)
@Version(ContentRollout.VERSION)
@ShortNames({"cmt"})
@Singular("contentmetrictemplate")
@Plural("contentmetrictemplates")
@Categories({"wavegate"})
@AdditionalPrinterColumn(name = "QUERY", jsonPath = ".spec.query", priority = 1)
@AdditionalPrinterColumn(name = "INTERVAL", jsonPath = ".spec.interval")
@AdditionalPrinterColumn(name = "MAX", jsonPath = ".spec.max", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "NODATA", jsonPath = ".spec.noData")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ContentMetricTemplate extends CustomResource<ContentMetricTemplateSpec, Void> {
}
