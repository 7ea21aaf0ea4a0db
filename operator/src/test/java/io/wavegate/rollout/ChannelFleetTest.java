package io.wavegate.rollout;

import static io.wavegate.rollout.RolloutDeciderTest.NEW;
import static io.wavegate.rollout.RolloutDeciderTest.NOW;
import static io.wavegate.rollout.RolloutDeciderTest.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.wavegate.api.RolloutPhase;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.NodeContents;
import io.wavegate.plan.WavePlan;
import io.wavegate.validation.GateResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One rollout's fleet kept up to date node by node: a refresh derives only the nodes events named, the
 * plan is reused while no node's plan inputs changed, and after any sequence of events (and restarts) the
 * facts and the decision on them are those of gathering the whole fleet afresh.
 */
class ChannelFleetTest {

  private static final String POOL = "wavegate.io/pool";
  private static final FleetGatherer.Basis BASIS = new FleetGatherer.Basis("sensor", null,
      new LabelSelectorBuilder().addToMatchLabels("app", "sensor").build(), NEW);

  @Test
  void aRefreshDerivesOnlyTheNodesEventsNamed() {
    Cluster cluster = Cluster.of("c1", "canary", "b1", "broad", "b2", "broad");
    ChannelFleet fleet = new ChannelFleet();

    assertThat(fleet.refresh(BASIS, cluster.objects, NOW).nodes()).hasSize(3);
    assertThat(fleet.derivedLastTime()).as("the first refresh derives every node").isEqualTo(3);

    cluster.report("b1", new AgentReport(NEW, AgentReport.APPLIED, null, null, NOW.toString()));
    fleet.changed("b1");
    FleetFacts facts = fleet.refresh(BASIS, cluster.objects, NOW);
    assertThat(fleet.derivedLastTime()).isEqualTo(1);
    assertThat(facts.byName().get("b1").report()).map(AgentReport::revision).contains(NEW);

    fleet.refresh(BASIS, cluster.objects, NOW);
    assertThat(fleet.derivedLastTime()).as("nothing named, nothing derived").isZero();
  }

  @Test
  void aNodeStillInContractV1IsUnmovedUntilItsNodeContentHoldsTheAssignment() {
    Cluster cluster = Cluster.of("c1", "canary");
    cluster.join("v1", "broad", true);
    ChannelFleet fleet = new ChannelFleet();
    FleetFacts facts = fleet.refresh(BASIS, cluster.objects, NOW);
    assertThat(facts.unmoved()).containsExactly("v1");
    assertThat(facts.byName().get("v1").assignment()).as("read from its v1 keys").isPresent();

    cluster.assign("v1", facts.byName().get("v1").assignment());
    fleet.changed("v1");
    assertThat(fleet.refresh(BASIS, cluster.objects, NOW).unmoved()).isEmpty();
  }

  @Test
  void thePlanIsReusedUntilANodesPlanInputsChange() {
    Cluster cluster = Cluster.of("c1", "canary", "b1", "broad");
    ChannelFleet fleet = new ChannelFleet();
    AtomicInteger planned = new AtomicInteger();
    FleetFacts.PlanKey key = new FleetFacts.PlanKey(NEW, POOL, List.of());

    plan(fleet.refresh(BASIS, cluster.objects, NOW), key, planned);
    cluster.report("b1", new AgentReport(NEW, AgentReport.APPLIED, null, null, NOW.toString()));
    fleet.changed("b1");
    cluster.ready("c1", false);
    fleet.changed("c1");
    plan(fleet.refresh(BASIS, cluster.objects, NOW), key, planned);
    assertThat(planned).as("a report and readiness are not plan inputs").hasValue(1);

    plan(fleet.refresh(BASIS, cluster.objects, NOW), new FleetFacts.PlanKey("b".repeat(64), POOL, List.of()), planned);
    assertThat(planned).as("another revision").hasValue(2);

    cluster.pool("b1", "canary");
    fleet.changed("b1");
    plan(fleet.refresh(BASIS, cluster.objects, NOW), new FleetFacts.PlanKey("b".repeat(64), POOL, List.of()), planned);
    assertThat(planned).as("a node moved pools").hasValue(3);
  }

  @Test
  void aDeletedNodeLeavesAndAnotherBasisDerivesEveryNode() {
    Cluster cluster = Cluster.of("c1", "canary", "b1", "broad");
    ChannelFleet fleet = new ChannelFleet();
    fleet.refresh(BASIS, cluster.objects, NOW);

    cluster.nodes.remove("b1");
    fleet.changed("b1");
    assertThat(fleet.refresh(BASIS, cluster.objects, NOW).byName()).containsOnlyKeys("c1");

    FleetGatherer.Basis onlyCanaries = new FleetGatherer.Basis("sensor",
        new LabelSelectorBuilder().addToMatchLabels(POOL, "canary").build(), null, NEW);
    fleet.refresh(onlyCanaries, cluster.objects, NOW);
    assertThat(fleet.derivedLastTime()).as("a new node selector: every node again").isEqualTo(1);
  }

  @Test
  void everyNodeIsDerivedAgainAfterTheRebuildIntervalEvenWithoutEvents() {
    Cluster cluster = Cluster.of("c1", "canary");
    ChannelFleet fleet = new ChannelFleet();
    fleet.refresh(BASIS, cluster.objects, NOW);
    cluster.ready("c1", false); // an event that never came

    assertThat(fleet.refresh(BASIS, cluster.objects, NOW.plusSeconds(60)).byName().get("c1").ready()).isTrue();
    assertThat(fleet.refresh(BASIS, cluster.objects, NOW.plus(ChannelFleet.REBUILD_EVERY)).byName().get("c1").ready())
        .as("the safety net's rebuild sees it").isFalse();
  }

  /**
   * A rollout driven through its waves while nodes report, crash, flip readiness, change pools, leave
   * and join, and the operator restarts now and then: after every event the kept
   * facts equal a fresh gather of the whole fleet, and the decision on them (plan reused or not) equals
   * the decision on the fresh gather.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void keptFactsDecideAsAFreshGatherAfterEveryEvent(long seed) {
    Random random = new Random(seed);
    Cluster cluster = new Cluster();
    for (int i = 0; i < 12; i++) {
      cluster.join("n" + i, i < 3 ? "canary" : "broad", false);
    }
    ChannelFleet fleet = new ChannelFleet();
    RolloutState state = RolloutState.INITIAL;
    GateResult gate = GateResult.passed("checks passed");
    Instant now = NOW;
    int joined = 12;
    java.util.Set<RolloutPhase> seen = java.util.EnumSet.noneOf(RolloutPhase.class);
    for (int step = 0; step < 120; step++) {
      String node = "n" + random.nextInt(joined);
      switch (random.nextInt(20)) {
        case 0, 1 -> cluster.ready(node, random.nextInt(3) != 0);
        case 2, 3 -> cluster.pool(node, random.nextBoolean() ? "canary" : "broad");
        case 4 -> cluster.nodes.remove(node);
        case 5, 6 -> cluster.join(node = "n" + joined++, random.nextBoolean() ? "canary" : "broad", false);
        case 7 -> cluster.crash(node, now.plusSeconds(1));
        case 8 -> fleet = new ChannelFleet(); // the operator restarted
        default -> cluster.reportWhatIsAssigned(node, random.nextInt(10) == 0 ? "Failed" : AgentReport.APPLIED);
      }
      fleet.changed(node);
      now = now.plusSeconds(random.nextInt(240));
      FleetFacts kept = fleet.refresh(BASIS, cluster.objects, now);
      List<FleetNode> fresh = cluster.gather();

      assertThat(kept.byName()).as("step %d", step).isEqualTo(byName(fresh));
      assertThat(kept.unmoved()).as("step %d", step).isEqualTo(ContractV1.of("sensor", List.copyOf(
          cluster.nodes.values()), cluster.contents).unmoved());
      List<String> order = kept.nodes().stream().map(FleetNode::name).toList();
      FleetFacts gathered = FleetFacts.of(fresh.stream().sorted(Comparator.comparing(n -> order.indexOf(n.name())))
          .toList());
      RolloutDecision decision = RolloutDecider.decide(given().state(state).gate(gate).now(now).fleet(kept).input());
      assertThat(decision).as("step %d", step)
          .isEqualTo(RolloutDecider.decide(given().state(state).gate(gate).now(now).fleet(gathered).input()));

      state = decision.state();
      seen.add(state.phase());
      // as the applier writes them: contract v1 assignments moved once
      for (Map.Entry<String, Optional<Assignment>> write : ContractV1.moveOnce(decision.nodeWrites(), kept.byName(),
          kept.unmoved()).entrySet()) {
        cluster.assign(write.getKey(), write.getValue());
        fleet.changed(write.getKey());
      }
      if (state.phase() == RolloutPhase.RolledBack || state.phase() == RolloutPhase.Succeeded) {
        state = RolloutState.INITIAL;
      }
    }
    assertThat(seen).as("the run went through rollouts").contains(RolloutPhase.Progressing)
        .containsAnyOf(RolloutPhase.Succeeded, RolloutPhase.RolledBack);
  }

  private static WavePlan plan(FleetFacts facts, FleetFacts.PlanKey key, AtomicInteger planned) {
    return facts.plan(key, () -> {
      planned.incrementAndGet();
      return WavePlan.EMPTY;
    });
  }

  private static Map<String, FleetNode> byName(List<FleetNode> nodes) {
    return nodes.stream().collect(Collectors.toMap(FleetNode::name, Function.identity()));
  }

  /** The informers' caches, as plain maps: what {@link ChannelFleet} reads, and what the events change. */
  static final class Cluster {

    final Map<String, Node> nodes = new LinkedHashMap<>();
    final Map<String, NodeContent> contents = new LinkedHashMap<>();
    final Map<String, List<Pod>> pods = new LinkedHashMap<>();
    final FleetObjects objects = new FleetObjects(nodes, contents, pods);

    static Cluster of(String... namesAndPools) {
      Cluster cluster = new Cluster();
      for (int i = 0; i < namesAndPools.length; i += 2) {
        cluster.join(namesAndPools[i], namesAndPools[i + 1], false);
      }
      return cluster;
    }

    void join(String name, String pool, boolean contractV1) {
      String v1 = contractV1 ? "{\"revision\":\"" + "b".repeat(64) + "\",\"wave\":\"broad\",\"ready\":true,"
          + "\"assignedAt\":\"2026-11-24T11:00:00Z\"}" : null;
      nodes.put(name, FleetGathererTest.node(name, Map.of(POOL, pool), true, v1));
    }

    void ready(String name, boolean ready) {
      edit(name, node -> node.editStatus().editFirstCondition().withStatus(ready ? "True" : "False").endCondition()
          .endStatus());
    }

    void pool(String name, String pool) {
      edit(name, node -> node.editMetadata().addToLabels(POOL, pool).endMetadata());
    }

    private void edit(String name, Function<NodeBuilder, NodeBuilder> change) {
      nodes.computeIfPresent(name, (n, node) -> change.apply(new NodeBuilder(node)).build());
    }

    void crash(String node, Instant at) {
      pods.computeIfAbsent(node, n -> new ArrayList<>()).add(FleetGathererTest.crashed(node, at.toString()));
    }

    void assign(String node, Optional<Assignment> assignment) {
      NodeContent content = NodeContents.assignmentApply(node, null, "sensor", assignment);
      NodeContent before = contents.get(node);
      if (before != null) {
        content.setStatus(before.getStatus());
      }
      contents.put(node, content);
    }

    void report(String node, AgentReport report) {
      NodeContent content = contents.computeIfAbsent(node, n -> NodeContents.assignmentApply(n, null, "sensor",
          Optional.empty()));
      content.setStatus(NodeContents.reportApply(node, "sensor", report).getStatus());
    }

    /** The node's agent reports on what it is assigned, or reports nothing when it is assigned nothing. */
    void reportWhatIsAssigned(String node, String state) {
      if (contents.containsKey(node)) {
        report(node, NodeContents.assignment(contents.get(node), "sensor")
            .map(a -> new AgentReport(a.revision(), state, null, null, NOW.toString())).orElse(null));
      }
    }

    List<FleetNode> gather() {
      return FleetGatherer.gather(BASIS, List.copyOf(nodes.values()),
          ContractV1.of("sensor", List.copyOf(nodes.values()), contents).contents(),
          pods.values().stream().flatMap(List::stream).toList());
    }
  }
}
