package io.wavegate.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.HealthGates;
import io.wavegate.api.StrategySpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConcernedRolloutsTest {

  private final ContentRollout sensor = rollout("sensor", Map.of("fleet", "edge"), Map.of("app", "sensor"));

  @Test
  void aNodeMatchingTheSelectorConcernsTheRollout() {
    assertThat(ConcernedRollouts.concerns(node(Map.of("fleet", "edge"), Map.of()), sensor)).isTrue();
  }

  @Test
  void aNodeOutsideTheSelectorWithoutTheChannelKeysDoesNot() {
    assertThat(ConcernedRollouts.concerns(node(Map.of("fleet", "core"), Map.of()), sensor)).isFalse();
    assertThat(ConcernedRollouts.concerns(node(Map.of("fleet", "core", "wavegate.io/other", "abc"), Map.of()), sensor))
        .isFalse();
  }

  @Test
  void aNodeThatLeftTheSelectorButHoldsTheChannelStillConcernsIt() {
    assertThat(ConcernedRollouts.concerns(node(Map.of("wavegate.io/sensor", "abc"), Map.of()), sensor)).isTrue();
    assertThat(ConcernedRollouts.concerns(node(Map.of(), Map.of("agent.wavegate.io/sensor", "{}")), sensor)).isTrue();
  }

  @Test
  void aPodConcernsOnlyRolloutsWhoseCrashingPodSelectorMatchesIt() {
    assertThat(ConcernedRollouts.concerns(pod(Map.of("app", "sensor")), sensor)).isTrue();
    assertThat(ConcernedRollouts.concerns(pod(Map.of("app", "web")), sensor)).isFalse();
    assertThat(ConcernedRollouts.concerns(pod(Map.of("app", "sensor")), rollout("plain", Map.of(), null))).isFalse();
  }

  private static ContentRollout rollout(String name, Map<String, String> nodeSelector, Map<String, String> crashing) {
    StrategySpec strategy = new StrategySpec();
    if (crashing != null) {
      HealthGates gates = new HealthGates();
      gates.setCrashingPodSelector(new LabelSelectorBuilder().addToMatchLabels(crashing).build());
      strategy.setHealthGates(gates);
    }
    ContentRolloutSpec spec = new ContentRolloutSpec();
    spec.setNodeSelector(new LabelSelectorBuilder().addToMatchLabels(nodeSelector).build());
    spec.setStrategy(strategy);
    ContentRollout rollout = new ContentRollout();
    rollout.setMetadata(new ObjectMetaBuilder().withName(name).build());
    rollout.setSpec(spec);
    return rollout;
  }

  private static Node node(Map<String, String> labels, Map<String, String> annotations) {
    return new NodeBuilder().withNewMetadata().withName("n1").withLabels(labels).withAnnotations(annotations)
        .endMetadata().build();
  }

  private static Pod pod(Map<String, String> labels) {
    return new PodBuilder().withNewMetadata().withName("p1").withLabels(labels).endMetadata().build();
  }
}
