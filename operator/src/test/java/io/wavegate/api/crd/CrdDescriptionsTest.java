package io.wavegate.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** `kubectl explain` describes every field: root, spec, status, selectors and references included. */
class CrdDescriptionsTest {

  @ParameterizedTest
  @ValueSource(strings = {"contentrollouts.wavegate.io-v1.yml", "nodecontents.wavegate.io-v1.yml"})
  void everyFieldHasADescription(String file) throws Exception {
    CustomResourceDefinition crd;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/fabric8/" + file)) {
      crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
    }
    List<String> undescribed = new ArrayList<>();
    walk(crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema(), crd.getSpec().getNames().getKind(),
        undescribed);
    assertThat(undescribed).as("fields without a description in " + file).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"contentrollouts.wavegate.io-v1.yml", "nodecontents.wavegate.io-v1.yml"})
  void itIsInTheWavegateCategoryAndItsShortNamesCollideWithNoOtherProject(String file) throws Exception {
    CustomResourceDefinition crd;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/fabric8/" + file)) {
      crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
    }
    assertThat(crd.getSpec().getNames().getCategories()).containsExactly("wavegate");
    assertThat(crd.getSpec().getNames().getShortNames()).as("`rollout` is Argo Rollouts' singular name")
        .doesNotContain("rollout", "rollouts", "ro");
  }

  private static void walk(JSONSchemaProps schema, String path, List<String> undescribed) {
    if (schema.getDescription() == null || schema.getDescription().isBlank()) {
      undescribed.add(path);
    }
    Map<String, JSONSchemaProps> properties = schema.getProperties();
    if (properties != null) {
      properties.forEach((name, child) -> walk(child, path + "." + name, undescribed));
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null
        && schema.getItems().getSchema().getProperties() != null) {
      schema.getItems().getSchema().getProperties().forEach((name, child) -> walk(child, path + "[]." + name,
          undescribed));
    }
  }
}
