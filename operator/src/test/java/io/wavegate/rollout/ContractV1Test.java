package io.wavegate.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.NodeContents;
import io.wavegate.delivery.NodeKeys;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The upgrade from node contract v1 at the edge, without a cluster. */
class ContractV1Test {

  static final String NEW = "a".repeat(64);
  static final Assignment CANARY = new Assignment(NEW, "canary", "ns/snap", "boot-1", true, "2026-11-27T12:00:00Z");
  static final AgentReport APPLIED = new AgentReport(NEW, AgentReport.APPLIED, null, null, "2026-11-27T12:00:05Z");

  @Test
  void v1KeysStandInUntilTheNodeContentHoldsTheEntriesAndOnlyThen() {
    Node upgraded = v1Node("n1");

    Map<String, NodeContent> view = ContractV1.of("sensor", List.of(upgraded), Map.of()).contents();
    assertThat(NodeContents.assignment(view.get("n1"), "sensor")).contains(CANARY);
    assertThat(NodeContents.report(view.get("n1"), "sensor")).contains(APPLIED);
    assertThat(ContractV1.of("sensor", List.of(upgraded), Map.of()).unmoved()).containsExactly("n1");

    NodeContent moved = NodeContents.assignmentApply("n1", "uid-1", "sensor", Optional.of(CANARY));
    Map<String, NodeContent> after = ContractV1.of("sensor", List.of(upgraded), Map.of("n1", moved)).contents();
    assertThat(NodeContents.assignment(after.get("n1"), "sensor")).contains(CANARY);
    assertThat(NodeContents.report(after.get("n1"), "sensor")).as("the v1 report until the agent reports in v2")
        .contains(APPLIED);
    assertThat(ContractV1.of("sensor", List.of(upgraded), Map.of("n1", moved)).unmoved()).isEmpty();
    assertThat(ContractV1.of("other", List.of(upgraded), Map.of()).contents()).as("another channel: nothing").isEmpty();
  }

  @Test
  void anUnmovedAssignmentIsWrittenOnceAsItIsWithoutReassigning() {
    FleetNode v1 = fleetNode("c1", true);
    FleetNode v2 = fleetNode("b1", true);

    Map<String, Optional<Assignment>> writes = ContractV1.moveOnce(Map.of(), FleetFacts.of(List.of(v1, v2)).byName(), Set.of("c1"));

    assertThat(writes).containsOnlyKeys("c1");
    assertThat(writes.get("c1")).as("the same assignment, baseline and time included").contains(CANARY);
  }

  @Test
  void aDecidedWriteCarriesTheMoveAndANodeWithNothingInItsNodeContentIsNotCleared() {
    Assignment stable = new Assignment("b".repeat(64), "canary", "ns/snap-b", "boot-1", true, "2026-11-27T13:00:00Z");
    Map<String, Optional<Assignment>> decided = Map.of("c1", Optional.of(stable), "c2", Optional.empty());

    Map<String, Optional<Assignment>> writes = ContractV1.moveOnce(decided,
        FleetFacts.of(List.of(fleetNode("c1", true), fleetNode("c2", false))).byName(), Set.of("c1", "c2"));

    assertThat(writes).containsOnlyKeys("c1");
    assertThat(writes.get("c1")).contains(stable);
  }

  private static Node v1Node(String name) {
    return new NodeBuilder().withNewMetadata().withName(name).withUid("uid-1")
        .addToAnnotations(NodeKeys.desired("sensor"), NodeKeys.toJson(CANARY))
        .addToAnnotations(NodeKeys.reported("sensor"), NodeKeys.toJson(APPLIED)).endMetadata().build();
  }

  private static FleetNode fleetNode(String name, boolean inFleet) {
    return new FleetNode(name, "uid-" + name, Map.of("wavegate.io/pool", "canary"), inFleet, true, "boot-1",
        Optional.of(CANARY), Optional.of(APPLIED), 0);
  }
}
