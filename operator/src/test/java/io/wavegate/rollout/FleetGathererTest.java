package io.wavegate.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.HealthGates;
import io.wavegate.contract.NodeContent;
import io.wavegate.api.StrategySpec;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.NodeContents;
import io.wavegate.delivery.NodeKeys;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fleet a rollout sees, from cached Nodes and Pods, without a cluster. */
class FleetGathererTest {

  private static final String NEW = "a".repeat(64);
  private static final String ASSIGNED_AT = "2026-11-27T12:00:00Z";

  private static final Assignment CANARY = new Assignment(NEW, "canary", "ns/snap", "boot-1", true, ASSIGNED_AT);

  @Test
  void readsReadinessBootIdAssignmentReportAndCrashesSinceAssignment() {
    Node node = node("n1", Map.of("fleet", "edge"), true, null);
    NodeContent content = NodeContents.assignmentApply("n1", "uid-1", "sensor", Optional.of(CANARY));
    content.setStatus(NodeContents.reportApply("n1", "sensor", new AgentReport(NEW, AgentReport.APPLIED, null, null,
        ASSIGNED_AT)).getStatus());
    List<Pod> pods = List.of(crashed("n1", "2026-11-27T12:00:05Z"), crashed("n1", "2026-11-27T11:59:00Z"),
        crashed("n2", "2026-11-27T12:00:05Z"));

    FleetNode gathered = FleetGatherer.gather("sensor", spec(), NEW, List.of(node), Map.of("n1", content), pods).get(0);

    assertThat(gathered.report()).map(r -> r.applied(NEW)).contains(true);
    assertThat(gathered.inFleet()).isTrue();
    assertThat(gathered.ready()).isTrue();
    assertThat(gathered.bootId()).isEqualTo("boot-1");
    assertThat(gathered.assignment()).map(Assignment::wave).contains("canary");
    assertThat(gathered.crashingPods()).as("only the crash after its assignment, on this node").isEqualTo(1);
  }

  @Test
  void nodesOutsideTheFleetWithoutTheChannelAreLeftOutAndThoseHoldingItAreKept() {
    Node stranger = node("n1", Map.of("fleet", "core"), true, null);
    Node leaver = node("n2", Map.of("fleet", "core"), true, null);
    NodeContent held = NodeContents.assignmentApply("n2", "uid-2", "sensor", Optional.of(CANARY));

    List<FleetNode> fleet = FleetGatherer.gather("sensor", spec(), NEW, List.of(stranger, leaver), Map.of("n2", held),
        List.of());

    assertThat(fleet).extracting(FleetNode::name).containsExactly("n2");
    assertThat(fleet.get(0).inFleet()).isFalse();
  }

  @Test
  void oddNodesAreReadAsFarAsTheyGo() {
    Node noStatus = new NodeBuilder().withNewMetadata().withName("bare").addToLabels("fleet", "edge").endMetadata().build();
    Node corrupt = node("corrupt", Map.of("fleet", "edge"), false, "{\"revision\":\"" + NEW + "\",\"assignedAt\":\"soon\"}");
    Node nameless = new NodeBuilder().withNewMetadata().endMetadata().build();
    NodeContent badTime = NodeContents.assignmentApply("bare", null, "sensor",
        Optional.of(new Assignment(NEW, "canary", "ns/snap", null, true, "soon")));

    List<FleetNode> fleet = FleetGatherer.gather("sensor", spec(), NEW, List.of(noStatus, corrupt, nameless),
        Map.of("bare", badTime), List.of());

    assertThat(fleet).extracting(FleetNode::name).containsExactly("bare", "corrupt");
    assertThat(fleet.get(0).ready()).isFalse();
    assertThat(fleet.get(0).bootId()).isNull();
    assertThat(fleet.get(0).assignment()).as("an assignment with a bad time counts as none").isEmpty();
    assertThat(fleet.get(1).assignment()).as("an assignment that does not parse counts as none").isEmpty();
  }

  private static ContentRolloutSpec spec() {
    ContentRolloutSpec spec = new ContentRolloutSpec();
    spec.setNodeSelector(new LabelSelectorBuilder().addToMatchLabels("fleet", "edge").build());
    StrategySpec strategy = new StrategySpec();
    HealthGates gates = new HealthGates();
    gates.setCrashingPodSelector(new LabelSelectorBuilder().addToMatchLabels("app", "sensor").build());
    strategy.setHealthGates(gates);
    spec.setStrategy(strategy);
    return spec;
  }

  static Node node(String name, Map<String, String> labels, boolean ready, String assignment) {
    NodeBuilder node = new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewStatus().addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .withNewNodeInfo().withBootID("boot-1").endNodeInfo().endStatus();
    if (assignment != null) {
      node.editMetadata().addToAnnotations(NodeKeys.desired("sensor"), assignment).endMetadata();
    }
    return node.build();
  }

  static Pod crashed(String node, String finishedAt) {
    return new PodBuilder().withNewMetadata().withName("sensor-" + finishedAt).addToLabels("app", "sensor")
        .endMetadata().withNewSpec().withNodeName(node).endSpec().withNewStatus().addNewContainerStatus()
        .withNewLastState().withNewTerminated().withExitCode(139).withFinishedAt(finishedAt).endTerminated()
        .endLastState().endContainerStatus().endStatus().build();
  }
}
