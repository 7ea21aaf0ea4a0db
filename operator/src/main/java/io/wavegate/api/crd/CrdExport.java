package io.wavegate.api.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.wavegate.api.ContentMetricTemplate;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentUpdatePolicy;
import io.wavegate.contract.ContentRevocation;
import io.wavegate.contract.NodeContent;
import io.wavegate.api.SchemaRules;
import java.io.File;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Build step (run by Maven at process-classes): generates the ContentRollout, NodeContent, ContentRevocation, ContentUpdatePolicy and ContentMetricTemplate CRDs with Fabric8's
 * CRD generator. Runs the generator through its API rather than its Maven plugin only to keep the
 * printer columns in the order they are declared on {@link ContentRollout} (the plugin sorts them
 * by JSON path, which would put AGE first), and to bound the length of count-or-percent strings,
 * which the generator cannot do for int-or-string fields.
 */
public final class CrdExport {

  private CrdExport() {}

  public static void main(String[] args) {
    File outputDir = new File(args.length > 0 ? args[0] : "target/classes/META-INF/fabric8");
    if (!outputDir.isDirectory() && !outputDir.mkdirs()) {
      throw new IllegalStateException("cannot create " + outputDir);
    }
    Map<String, List<String>> declaredOrder = Map.of(
        "contentrollouts.wavegate.io", columns(ContentRollout.class),
        "nodecontents.wavegate.io", columns(NodeContent.class),
        "contentrevocations.wavegate.io", columns(ContentRevocation.class),
        "contentupdatepolicies.wavegate.io", columns(ContentUpdatePolicy.class),
        "contentmetrictemplates.wavegate.io", columns(ContentMetricTemplate.class));
    int generated = new CRDGenerator()
        .customResourceClasses(ContentRollout.class, NodeContent.class, ContentRevocation.class,
            ContentUpdatePolicy.class, ContentMetricTemplate.class)
        .forCRDVersions("v1")
        .inOutputDir(outputDir)
        .withPostProcessor(new CRDPostProcessor() {
          @Override
          public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
            List<String> order = declaredOrder.get(crd.getMetadata().getName());
            ((CustomResourceDefinition) crd).getSpec().getVersions().forEach(v -> {
              v.getAdditionalPrinterColumns()
                  .sort(Comparator.comparingInt((CustomResourceColumnDefinition c) -> order.indexOf(c.getName())));
              keyChannelListsByChannel(v.getSchema().getOpenAPIV3Schema());
              boundCountOrPercentStrings(v.getSchema().getOpenAPIV3Schema());
              LabelSelectorSchema.refuseWhatKubernetesRefuses(v.getSchema().getOpenAPIV3Schema());
              SchemaDescriptions.describe(crd.getMetadata().getName(), v.getSchema().getOpenAPIV3Schema());
            });
            return crd;
          }
        })
        .generate();
    if (generated != 5) {
      throw new IllegalStateException("expected five CRDs, generated " + generated);
    }
  }

  private static List<String> columns(Class<?> resource) {
    return Arrays.stream(resource.getAnnotationsByType(AdditionalPrinterColumn.class)).map(AdditionalPrinterColumn::name)
        .toList();
  }

  /**
   * NodeContent's spec.channels and status.channels are list-maps keyed by channel, so that
   * server-side apply lets each channel's writer own its entry alone: rollouts of different channels
   * write the same object without conflicts or lost updates.
   */
  private static void keyChannelListsByChannel(JSONSchemaProps root) {
    for (String part : List.of("spec", "status")) {
      JSONSchemaProps section = root.getProperties().get(part);
      if (section != null && section.getProperties() != null && section.getProperties().containsKey("channels")
          && "array".equals(section.getProperties().get("channels").getType())) {
        JSONSchemaProps channels = section.getProperties().get("channels");
        channels.setXKubernetesListType("map");
        channels.setXKubernetesListMapKeys(List.of("channel"));
      }
    }
  }

  /**
   * Count-or-percent fields are int-or-string; their string form is at most "100%". Saying so lets
   * the API server's CEL cost estimator accept their rules (an unbounded string exceeds the budget).
   */
  private static void boundCountOrPercentStrings(JSONSchemaProps schema) {
    if (schema == null) {
      return;
    }
    boolean countOrPercent = schema.getXKubernetesValidations() != null && schema.getXKubernetesValidations().stream()
        .anyMatch(rule -> SchemaRules.COUNT_OR_PERCENT.equals(rule.getRule()));
    if (countOrPercent) {
      schema.setMaxLength(4L);
    }
    if (schema.getProperties() != null) {
      schema.getProperties().values().forEach(CrdExport::boundCountOrPercentStrings);
    }
    if (schema.getItems() != null) {
      boundCountOrPercentStrings(schema.getItems().getSchema());
    }
  }
}
