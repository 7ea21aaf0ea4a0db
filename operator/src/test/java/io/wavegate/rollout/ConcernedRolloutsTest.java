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
import io.wavegate.contract.NodeContent;
import io.wavegate.api.StrategySpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConcernedRolloutsTest {

  private final ContentRollout sensor = rollout("sensor", Map.of("fleet", "edge"), Map.of("app", "sensor"));

  @Test
  void aNodeMatchingTheSelectorConcernsTheRollout() {
    assertThat(ConcernedRollouts.concerns(nodeWithoutContent(Map.of("fleet", "edge"), Map.of()), null, sensor)).isTrue();
  }

  @Test
  void aNodeOutsideTheSelectorWithoutTheChannelKeysDoesNot() {
    assertThat(ConcernedRollouts.concerns(nodeWithoutContent(Map.of("fleet", "core"), Map.of()), null, sensor)).isFalse();
    assertThat(ConcernedRollouts.concerns(nodeWithoutContent(Map.of("fleet", "core", "wavegate.io/other", "abc"), Map.of()), null, sensor))
        .isFalse();
  }

  @Test
  void aNodeThatLeftTheSelectorButHoldsTheChannelStillConcernsIt() {
    assertThat(ConcernedRollouts.concerns(nodeWithoutContent(Map.of("wavegate.io/sensor", "abc"), Map.of()), null, sensor)).isTrue();
    assertThat(ConcernedRollouts.concerns(nodeWithoutContent(Map.of(), Map.of("agent.wavegate.io/sensor", "{}")), null, sensor)).isTrue();
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

  @Test
  void aNodeContentConcernsTheRolloutsOfTheChannelsItNames() {
    NodeContent content = io.wavegate.contract.NodeContents.assignmentApply("n1", "uid", "sensor",
        java.util.Optional.of(new io.wavegate.contract.Assignment("a".repeat(64), "canary", "ns/s", "b", true,
            "2026-11-27T12:00:00Z")));
    assertThat(ConcernedRollouts.concerns(content, sensor)).isTrue();
    assertThat(ConcernedRollouts.concerns(content, rollout("other", Map.of(), null))).isFalse();
    assertThat(ConcernedRollouts.concerns(node(Map.of("fleet", "core"), Map.of()), content, sensor))
        .as("a node outside the fleet whose NodeContent holds the channel").isTrue();
  }

  private static Node nodeWithoutContent(Map<String, String> labels, Map<String, String> annotations) {
    return node(labels, annotations);
  }

  private static Node node(Map<String, String> labels, Map<String, String> annotations) {
    return new NodeBuilder().withNewMetadata().withName("n1").withLabels(labels).withAnnotations(annotations)
        .endMetadata().build();
  }

  private static Pod pod(Map<String, String> labels) {
    return new PodBuilder().withNewMetadata().withName("p1").withLabels(labels).endMetadata().build();
  }
}
