package io.wavegate.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.api.ContentRollout;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.NodeContent;
import io.wavegate.policy.UpdatePolicies;
import io.wavegate.plugin.FleetMap.CellState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The dashboard's fleet map, without a cluster: each node's state, and the groups the map draws. */
class FleetMapTest {

  static final String NEW = "a".repeat(64);
  static final String STABLE = "b".repeat(64);
  static final String OLD = "c".repeat(64);

  static Stream<Arguments> states() {
    return Stream.of(
        // ready, assigned, reported (state), held, offending -> state
        row(true, null, null, null, false, false, CellState.Stable, "nothing of the channel yet"),
        row(true, STABLE, STABLE, "Applied", false, false, CellState.Stable, "on the stable revision"),
        row(true, NEW, NEW, "Applied", false, false, CellState.New, "applied the revision in flight"),
        row(true, NEW, STABLE, "Applied", false, false, CellState.Stable, "moved back by the revocation"),
        row(true, NEW, null, null, false, false, CellState.Applying, "assigned, no report yet"),
        row(true, STABLE, NEW, "Applied", false, false, CellState.Applying, "rolled back, not reported yet"),
        row(true, NEW, NEW, "Failed", false, false, CellState.Failed, "reported a failure"),
        row(true, NEW, NEW, "Applied", false, true, CellState.Failed, "named by the breach, still on it"),
        row(true, STABLE, STABLE, "Applied", false, true, CellState.Stable, "named by the breach, back on stable"),
        row(false, NEW, NEW, "Applied", false, false, CellState.Unavailable, "not Ready"),
        row(false, STABLE, STABLE, "Applied", true, false, CellState.Held, "held, whatever else"),
        row(true, OLD, OLD, "Applied", false, false, CellState.Other, "pinned to an older revision"));
  }

  @ParameterizedTest(name = "{7}")
  @MethodSource("states")
  void eachNodesState(boolean ready, String assigned, String reported, String reportState, boolean held,
      boolean offending, CellState expected, String why) {
    Optional<Assignment> assignment = Optional.ofNullable(assigned).map(r -> new Assignment(r, "canary", "ns/s",
        "boot", true, "2026-12-01T12:00:00Z"));
    Optional<AgentReport> report = Optional.ofNullable(reported).map(r -> new AgentReport(r, reportState,
        "Failed".equals(reportState) ? "WriteError" : null, null, "2026-12-01T12:00:01Z"));
    assertThat(FleetMap.state(ready, assignment, report, NEW, STABLE, held, offending)).isEqualTo(expected);
  }

  @Test
  void groupsByWaveAndPoolInNaturalOrder() throws Exception {
    ContentRollout rollout = Serialization.unmarshal(RolloutViewTest.resource("progressing.yaml"), ContentRollout.class);
    List<Node> nodes = Serialization.unmarshal(RolloutViewTest.resource("plan-nodes.yaml"), KubernetesList.class)
        .getItems().stream().map(Node.class::cast).toList();

    List<FleetMap.Group> groups = FleetMap.of(rollout, nodes, Map.<String, NodeContent>of(), UpdatePolicies.NONE, null);

    List<String> waves = rollout.getSpec().getStrategy().getWaves().stream().map(w -> w.getName()).toList();
    assertThat(groups).extracting(FleetMap.Group::wave).isSubsetOf(waves);
    assertThat(groups.stream().map(FleetMap.Group::wave).distinct().toList())
        .as("waves in the spec's order").isEqualTo(waves.stream().filter(w -> groups.stream()
            .anyMatch(g -> g.wave().equals(w))).toList());
    for (FleetMap.Group group : groups) {
      List<String> names = group.cells().stream().map(FleetMap.Cell::node).toList();
      assertThat(names).isSortedAccordingTo(NaturalOrder.INSTANCE);
    }
    Map<String, Long> planned = groups.stream().flatMap(g -> g.cells().stream())
        .collect(Collectors.groupingBy(FleetMap.Cell::node, Collectors.counting()));
    assertThat(planned.values()).as("each node once").containsOnly(1L);
  }

  @Test
  void naturalOrderReadsNumbersAsNumbers() {
    assertThat(Stream.of("demo-broad-10", "demo-broad-2", "demo-broad-1", "demo-canary-0", "demo-broad-02")
        .sorted(NaturalOrder.INSTANCE)).containsExactly("demo-broad-1", "demo-broad-02", "demo-broad-2",
        "demo-broad-10", "demo-canary-0");
  }

  private static Arguments row(boolean ready, String assigned, String reported, String reportState, boolean held,
      boolean offending, CellState expected, String why) {
    return Arguments.of(ready, assigned, reported, reportState, held, offending, expected, why);
  }
}
