package io.wavegate.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.api.ContentRollout;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `kubectl wavegate plan` on a fixed fleet: its output is views/plan.txt, byte for byte. */
class PlanViewTest {

  @Test
  void showsEachWavesNodesWhatACapLeavesOutWhatMatchesNoWaveAndAWaveWithNoNode() throws Exception {
    ContentRollout rollout = Serialization.unmarshal(RolloutViewTest.resource("plan.yaml"), ContentRollout.class);
    List<Node> nodes = Serialization.unmarshal(RolloutViewTest.resource("plan-nodes.yaml"), KubernetesList.class)
        .getItems().stream().map(Node.class::cast).toList();

    assertThat(PlanView.render("typo", rollout.getSpec(), nodes)).isEqualTo(RolloutViewTest.resource("plan.txt"));
  }
}
