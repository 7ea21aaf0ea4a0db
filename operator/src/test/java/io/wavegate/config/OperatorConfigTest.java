package io.wavegate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @Test
  void defaultsWatchEveryPodAndReadSourcesFromTheOperatorNamespace() {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("POD_NAMESPACE", "ops"));

    assertThat(config.namespace()).isEqualTo("ops");
    assertThat(config.sourceNamespaces()).containsExactly("ops");
    assertThat(config.podLabelSelector()).isNull();
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.nodeWriteBatch()).isEqualTo(500);
  }

  @Test
  void thePodSelectorSourceNamespacesAndWriteBatchComeFromTheEnvironment() {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("WAVEGATE_NAMESPACE", "ops",
        "WAVEGATE_SOURCE_NAMESPACES", "content, ops,", "WAVEGATE_POD_SELECTOR", " app in (sensor) ",
        "WAVEGATE_NODE_WRITE_BATCH", "50"));

    assertThat(config.sourceNamespaces()).containsExactlyInAnyOrder("content", "ops");
    assertThat(config.podLabelSelector()).isEqualTo("app in (sensor)");
    assertThat(config.nodeWriteBatch()).isEqualTo(50);
    assertThat(OperatorConfig.fromEnvironment(Map.of("WAVEGATE_POD_SELECTOR", "  ")).podLabelSelector()).isNull();
  }
}
