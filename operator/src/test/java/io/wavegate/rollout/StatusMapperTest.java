package io.wavegate.rollout;

import io.wavegate.health.Signal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.RolloutPhase;
import io.wavegate.health.HealthReport;
import io.wavegate.plan.WavePlan;
import io.wavegate.validation.GateResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Restart safety: whatever state the decider produces survives status and comes back the same. */
class StatusMapperTest {

  static Stream<RolloutState> states() {
    return Stream.of(
        RolloutDeciderTest.canaryStarted(),
        RolloutDeciderTest.canaryBaking(),
        RolloutDeciderTest.rollingBack(),
        RolloutDeciderTest.rolledBack(),
        RolloutDeciderTest.succeeded(),
        RolloutDeciderTest.canaryStarted().withPhase(RolloutPhase.Halted)
            .withStall(new Note(Reason.of(Signal.NodesRebooted), "1 node reboots", List.of("n1"))),
        RolloutDeciderTest.canaryBaked().withWaiting(new Note(WaitReason.UnavailableNodes, "waits", List.of("b1", "b2"))),
        RolloutDeciderTest.canaryBaked().withWebhooks(List.of(
            RolloutDeciderTest.answer("broad", RolloutDeciderTest.PRE, false, RolloutDeciderTest.NOW),
            RolloutDeciderTest.answer("canary", RolloutDeciderTest.POST, true, RolloutDeciderTest.NOW))),
        RolloutDeciderTest.broadStarted().withGenerallyAvailableAt(RolloutDeciderTest.NOW.minusSeconds(100))
            .withWaiting(new Note(WaitReason.HeldByPolicy, "held", List.of("b2"))),
        RolloutDeciderTest.succeeded().withHistory(List.of(new HistoryEntry(RolloutDeciderTest.OLDER, "RolledBack",
            "NodesRebooted", RolloutDeciderTest.NOW.minusSeconds(600), RolloutDeciderTest.NOW.minusSeconds(300)),
            new HistoryEntry(RolloutDeciderTest.NEW, "Succeeded", null, RolloutDeciderTest.NOW.minusSeconds(200),
                RolloutDeciderTest.NOW))),
        RolloutDeciderTest.canaryStarted().withMetrics(List.of(
            new io.wavegate.analysis.MetricRecord("crashes", 2.5, io.wavegate.analysis.MetricJudge.Outcome.Failed,
                "2.5 > max 0", RolloutDeciderTest.NOW, 3, 1, 0, false,
                new io.wavegate.analysis.MetricDef.Template("node-reboots", 3)),
            new io.wavegate.analysis.MetricRecord("load-errors", null,
                io.wavegate.analysis.MetricJudge.Outcome.Inconclusive, "no data", RolloutDeciderTest.NOW, 1, 0, 0, true, null))),
        new RolloutState(RolloutPhase.Validating, RolloutDeciderTest.NEW, null, List.of(), List.of(),
            GateResult.pending("SourceNotFound", "waiting for it"), null, null),
        new RolloutState(RolloutPhase.Rejected, RolloutDeciderTest.NEW, RolloutDeciderTest.STABLE,
            List.of(RolloutDeciderTest.OLDER), List.of(), GateResult.rejected("ZeroFilled", "all zero"), null, null));
  }

  @ParameterizedTest
  @MethodSource("states")
  void stateToStatusToStateIsTheIdentity(RolloutState state) {
    ContentRolloutStatus stored = Serialization.unmarshal(Serialization.asJson(statusOf(state)),
        ContentRolloutStatus.class);

    assertThat(StatusMapper.toState(stored)).isEqualTo(state);
  }

  @ParameterizedTest
  @MethodSource("states")
  void anErrorIsRecordedWithoutChangingTheStateAndStallsByName(RolloutState state) {
    ContentRolloutStatus failed = StatusMapper.withError(statusOf(state), Note.of(new Reason.Other("SourceForbidden"), "may not get configmaps"), 3,
        RolloutDeciderTest.NOW);

    assertThat(StatusMapper.toState(failed)).isEqualTo(state);
    assertThat(failed.getError().getReason()).isEqualTo("SourceForbidden");
    var stalled = failed.getConditions().stream().filter(c -> c.getType().equals("Stalled")).findFirst().orElseThrow();
    assertThat(stalled.getStatus()).isEqualTo("True");
    if (state.stall() == null && state.phase() != RolloutPhase.Rejected) {
      assertThat(stalled.getReason()).isEqualTo("SourceForbidden");
    }
  }

  private static ContentRolloutStatus statusOf(RolloutState state) {
    RolloutDecision decision = new RolloutDecision(state, Map.of(), WavePlan.EMPTY, HealthReport.HEALTHY,
        RolloutDecision.NodeCounts.NONE, List.of(), Optional.empty(), false);
    return StatusMapper.toStatus(decision, 3, null, null, RolloutDeciderTest.NOW);
  }

  @org.junit.jupiter.api.Test
  void theOneLineMessageSaysTheErrorThenTheStallThenTheWaitThenWhereItStands() {
    RolloutState stalled = RolloutDeciderTest.canaryStarted().withPhase(RolloutPhase.RollingBack)
        .withStall(new Note(Reason.of(Signal.NodesRebooted), "1 node reboots,\n maxNodeReboots allows 0: n1", List.of("n1")));
    assertThat(StatusMapper.message(stalled, null)).isEqualTo("NodesRebooted: 1 node reboots, maxNodeReboots allows 0: n1");
    assertThat(StatusMapper.message(stalled, Note.of(ErrorReason.Forbidden, "the API server answered 403")))
        .isEqualTo("Forbidden: the API server answered 403");
    assertThat(StatusMapper.message(RolloutDeciderTest.canaryBaked().withWaiting(Note.of(WaitReason.UnavailableNodes,
        "wave broad waits")), null)).isEqualTo("UnavailableNodes: wave broad waits");
    assertThat(StatusMapper.message(RolloutDeciderTest.succeeded(), null)).endsWith("is on every node of every wave");
    assertThat(StatusMapper.message(stalled.withStall(Note.of(new Reason.Other("X"), "y".repeat(500))), null))
        .hasSize(StatusMapper.MESSAGE_LENGTH).endsWith("...");
  }

  @org.junit.jupiter.api.Test
  void valuesANewerOperatorWroteAreReadTolerantly() {
    ContentRolloutStatus stored = statusOf(RolloutDeciderTest.canaryStarted().withPhase(RolloutPhase.Halted)
        .withStall(new Note(Reason.of(Signal.NodesRebooted), "1 node reboots", List.of("n1"))));
    stored.getStall().setReason("SomeFutureSignal");
    stored.getWaves().get(0).setPhase("SomeFuturePhase");
    stored.getGate().setOutcome("SomeFutureOutcome");

    RolloutState read = StatusMapper.toState(stored);

    assertThat(read.stall().reason()).isEqualTo(new Reason.Other("SomeFutureSignal"));
    assertThat(read.stall().reason().name()).isEqualTo("SomeFutureSignal");
    assertThat(read.waves().get(0).phase()).isEqualTo(WavePhase.Pending);
    assertThat(read.gate()).as("the gate runs again").isNull();
  }

  @org.junit.jupiter.api.Test
  void everyKnownReasonReadsBackAsItself() {
    for (Signal signal : Signal.values()) {
      assertThat(Reason.parse(signal.name())).isEqualTo(Reason.of(signal));
    }
    for (Reason reason : List.<Reason>of(WaitReason.NoMatchingNodes, StopReason.InvalidSpec, ErrorReason.Forbidden)) {
      assertThat(Reason.parse(reason.name())).isSameAs(reason);
    }
  }
}
