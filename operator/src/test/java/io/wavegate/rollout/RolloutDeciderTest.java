package io.wavegate.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegate.api.RollbackPolicy;
import io.wavegate.api.RolloutPhase;
import io.wavegate.delivery.AgentReport;
import io.wavegate.delivery.Assignment;
import io.wavegate.health.HealthLimits;
import io.wavegate.plan.CountOrPercent;
import io.wavegate.plan.WaveRule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The state machine without a cluster: plain values in, a decision out. */
class RolloutDeciderTest {

  private static final String NEW = "a".repeat(64);
  private static final String STABLE = "b".repeat(64);
  private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
  private static final HealthLimits ZERO = new HealthLimits(new CountOrPercent(0, null), new CountOrPercent(0, null),
      new CountOrPercent(0, null), new CountOrPercent(0, null));
  private static final List<WaveDef> WAVES = List.of(
      wave("canary", Duration.ofMinutes(10)), wave("broad", Duration.ZERO));

  @Test
  void aPassedGateStartsTheCanaryWaveAndAssignsOnlyItsNodes() {
    RolloutDecision decision = RolloutDecider.decide(input(RolloutState.INITIAL, GateResult.passed("ok"),
        fleet(node("c1", "canary"), node("b1", "broad")), Actions.NONE, NOW));

    assertThat(decision.state().phase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(decision.state().waves().get(0).phase()).isEqualTo(WavePhase.Progressing);
    assertThat(decision.nodeWrites()).containsOnlyKeys("c1");
    Assignment assignment = decision.nodeWrites().get("c1").orElseThrow();
    assertThat(assignment.revision()).isEqualTo(NEW);
    assertThat(assignment.wave()).isEqualTo("canary");
    assertThat(assignment.bootId()).isEqualTo("boot-c1");
    assertThat(decision.requeueAfter()).contains(Duration.ofMinutes(10)); // the progress deadline
  }

  @Test
  void nodesOfWavesNotStartedYetHoldTheStableRevision() {
    RolloutDecision decision = RolloutDecider.decide(input(started(), GateResult.notNeeded(),
        fleet(applied(node("c1", "canary")), node("b-new", "broad")), Actions.NONE, NOW));
    assertThat(decision.nodeWrites()).containsOnlyKeys("b-new");
    assertThat(decision.nodeWrites().get("b-new").orElseThrow().revision()).isEqualTo(STABLE);
  }

  @Test
  void aRejectedGateTouchesNoNode() {
    RolloutDecision decision = RolloutDecider.decide(input(RolloutState.INITIAL,
        GateResult.rejected("ZeroFilled", "all zero"), fleet(node("c1", "canary")), Actions.NONE, NOW));
    assertThat(decision.state().phase()).isEqualTo(RolloutPhase.Rejected);
    assertThat(decision.nodeWrites()).isEmpty();
    assertThat(decision.events()).extracting(RolloutEvent::reason).containsExactly("Rejected");
  }

  @Test
  void whenTheCanaryHasAppliedItBakesThenTheNextWaveStarts() {
    RolloutState canaryStarted = started();
    List<FleetNode> fleet = fleet(applied(node("c1", "canary")), stableNode("b1", "broad"));

    RolloutDecision baking = RolloutDecider.decide(input(canaryStarted, GateResult.notNeeded(), fleet, Actions.NONE, NOW));
    assertThat(baking.state().waves().get(0).phase()).isEqualTo(WavePhase.Baking);
    assertThat(baking.requeueAfter()).contains(Duration.ofMinutes(10));
    assertThat(baking.nodeWrites()).isEmpty();

    RolloutDecision baked = RolloutDecider.decide(input(baking.state(), GateResult.notNeeded(), fleet, Actions.NONE,
        NOW.plus(Duration.ofMinutes(10))));
    assertThat(baked.state().waves().get(0).phase()).isEqualTo(WavePhase.Completed);
    assertThat(baked.state().waves().get(1).phase()).isEqualTo(WavePhase.Progressing);
    assertThat(baked.nodeWrites()).containsOnlyKeys("b1");
  }

  @Test
  void promoteEndsTheBakeAtOnce() {
    List<FleetNode> fleet = fleet(applied(node("c1", "canary")), node("b1", "broad"));
    RolloutDecision baking = RolloutDecider.decide(input(started(), GateResult.notNeeded(), fleet, Actions.NONE, NOW));
    RolloutDecision promoted = RolloutDecider.decide(input(baking.state(), GateResult.notNeeded(), fleet,
        new Actions(true, false, false), NOW.plusSeconds(1)));
    assertThat(promoted.state().waves().get(0).phase()).isEqualTo(WavePhase.Completed);
    assertThat(promoted.clearActions()).isTrue();
  }

  @Test
  void aRebootRollsBackToTheStableRevisionAndRecordsTheFailure() {
    FleetNode rebooted = withBoot(applied(node("c1", "canary")), "boot-after-panic");
    RolloutDecision decision = RolloutDecider.decide(input(started(), GateResult.notNeeded(),
        fleet(rebooted, stableNode("b1", "broad")), Actions.NONE, NOW));

    assertThat(decision.state().phase()).isEqualTo(RolloutPhase.RollingBack);
    assertThat(decision.state().failedRevisions()).containsExactly(NEW);
    assertThat(decision.state().stallReason()).isEqualTo("NodesRebooted");
    assertThat(decision.nodeWrites()).containsOnlyKeys("c1");
    assertThat(decision.nodeWrites().get("c1").orElseThrow().revision()).isEqualTo(STABLE);
  }

  @Test
  void withManualRollbackABreachHaltsWithoutWrites() {
    FleetNode rebooted = withBoot(applied(node("c1", "canary")), "boot-after-panic");
    RolloutInput in = input(started(), GateResult.notNeeded(), fleet(rebooted, stableNode("b1", "broad")), Actions.NONE, NOW);
    RolloutDecision decision = RolloutDecider.decide(new RolloutInput(in.channel(), in.generation(),
        in.observedGeneration(), in.digest(), in.snapshotNamespace(), false, RollbackPolicy.Manual, in.poolLabel(),
        in.waves(), in.previous(), in.gate(), in.nodes(), in.actions(), in.now()));
    assertThat(decision.state().phase()).isEqualTo(RolloutPhase.Paused);
    assertThat(decision.state().failedRevisions()).isEmpty();
    assertThat(decision.nodeWrites()).isEmpty();
  }

  @Test
  void theRollbackEndsWhenEveryNodeReportsTheStableRevision() {
    RolloutState rollingBack = new RolloutState(RolloutPhase.RollingBack, NEW, STABLE, List.of(NEW),
        List.of(new WaveProgress("canary", WavePhase.RolledBack, NOW, null, null), WaveProgress.pending("broad")),
        "Passed", "ok", "NodesRebooted", "1 node reboots");
    RolloutDecision decision = RolloutDecider.decide(input(rollingBack, GateResult.notNeeded(),
        fleet(stableNode("c1", "canary"), stableNode("b1", "broad")), Actions.NONE, NOW));
    assertThat(decision.state().phase()).isEqualTo(RolloutPhase.RolledBack);
    assertThat(decision.nodeWrites()).isEmpty();
  }

  @Test
  void aRevisionThatFailedBeforeIsNotRetriedOnItsOwn() {
    RolloutState failedBefore = new RolloutState(RolloutPhase.Succeeded, STABLE, STABLE, List.of(NEW), List.of(),
        "Passed", "ok", null, null);
    RolloutDecision decision = RolloutDecider.decide(input(failedBefore, GateResult.notNeeded(),
        fleet(stableNode("c1", "canary")), Actions.NONE, NOW));
    assertThat(decision.state().phase()).isEqualTo(RolloutPhase.RolledBack);
    assertThat(decision.state().stallReason()).isEqualTo("FailedBefore");
    assertThat(decision.nodeWrites()).isEmpty();
  }

  @Test
  void noWriteAtSteadyState() {
    RolloutState succeeded = new RolloutState(RolloutPhase.Succeeded, NEW, NEW, List.of(),
        List.of(new WaveProgress("canary", WavePhase.Completed, NOW, NOW, NOW),
            new WaveProgress("broad", WavePhase.Completed, NOW, NOW, NOW)), "Passed", "ok", null, null);
    RolloutDecision decision = RolloutDecider.decide(input(succeeded, GateResult.notNeeded(),
        fleet(applied(node("c1", "canary")), applied(node("b1", "broad"))), Actions.NONE, NOW));
    assertThat(decision.state()).isEqualTo(succeeded);
    assertThat(decision.nodeWrites()).isEmpty();
    assertThat(decision.events()).isEmpty();
  }

  private static RolloutState started() {
    return new RolloutState(RolloutPhase.Progressing, NEW, STABLE, List.of(),
        List.of(new WaveProgress("canary", WavePhase.Progressing, NOW.minusSeconds(5), null, null),
            WaveProgress.pending("broad")), "Passed", "ok", null, null);
  }

  private static WaveDef wave(String pool, Duration bake) {
    return new WaveDef(new WaveRule(pool, Set.of(pool), null, new CountOrPercent(Integer.MAX_VALUE, null)), bake, ZERO,
        Duration.ofMinutes(10));
  }

  private static RolloutInput input(RolloutState previous, GateResult gate, List<FleetNode> nodes, Actions actions,
      Instant now) {
    return new RolloutInput("sensor", 1, 1, NEW, "wavegate-system", false, RollbackPolicy.Automatic,
        "wavegate.io/pool", WAVES, previous, gate, nodes, actions, now);
  }

  private static List<FleetNode> fleet(FleetNode... nodes) {
    return new ArrayList<>(List.of(nodes));
  }

  private static FleetNode node(String name, String pool) {
    return new FleetNode(name, Map.of("wavegate.io/pool", pool), true, true, "boot-" + name, Optional.empty(),
        Optional.empty(), 0);
  }

  private static FleetNode stableNode(String name, String pool) {
    FleetNode n = node(name, pool);
    return new FleetNode(name, n.labels(), true, true, n.bootId(),
        Optional.of(new Assignment(STABLE, pool, "ns/snap", n.bootId(), true, NOW.minusSeconds(600).toString())),
        Optional.of(new AgentReport(STABLE, AgentReport.APPLIED, null, null, NOW.toString())), 0);
  }

  private static FleetNode applied(FleetNode n) {
    String pool = n.labels().get("wavegate.io/pool");
    return new FleetNode(n.name(), n.labels(), true, true, n.bootId(),
        Optional.of(new Assignment(NEW, pool, "ns/snap", n.bootId(), true, NOW.minusSeconds(5).toString())),
        Optional.of(new AgentReport(NEW, AgentReport.APPLIED, null, null, NOW.toString())), 0);
  }

  private static FleetNode withBoot(FleetNode n, String bootId) {
    return new FleetNode(n.name(), n.labels(), n.inFleet(), n.ready(), bootId, n.assignment(), n.report(), 0);
  }
}
