package io.wavegate.rollout;

import io.wavegate.health.Signal;

import io.wavegate.analysis.MetricDef;
import io.wavegate.analysis.MetricGates;
import io.wavegate.analysis.MetricJudge;
import io.wavegate.analysis.MetricReading;

import io.wavegate.contract.NodeContent;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegate.api.RollbackPolicy;
import io.wavegate.api.RolloutPhase;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.health.HealthLimits;
import io.wavegate.plan.CountOrPercent;
import io.wavegate.plan.WaveRule;
import io.wavegate.validation.GateResult;
import io.wavegate.api.UpdateRing;
import io.wavegate.api.WebhookType;
import io.wavegate.analysis.WebhookAnswer;
import io.wavegate.analysis.WebhookDef;
import io.wavegate.api.WindowType;
import io.wavegate.policy.HoldReason;
import io.wavegate.policy.UpdatePolicies;
import io.wavegate.policy.UpdatePolicy;
import io.wavegate.policy.Window;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The state machine without a cluster: plain values in, a decision out. */
class RolloutDeciderTest {

  static final String NEW = "a".repeat(64);
  static final String STABLE = "b".repeat(64);
  static final String OLDER = "c".repeat(64);
  static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
  static final HealthLimits ZERO = new HealthLimits(new CountOrPercent(0, null), new CountOrPercent(0, null),
      new CountOrPercent(0, null), new CountOrPercent(0, null));
  static final GateResult PASSED = GateResult.passed("checks passed: sha256");

  /** One row: a situation, and what the decision must show. */
  record Case(String name, Given given, Consumer<RolloutDecision> then) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        row("a passed gate starts the canary and assigns only its nodes",
            given().fresh().gate(PASSED).nodes(node("c1", "canary"), node("b1", "broad")),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.Progressing);
              assertThat(d.nodeWrites()).containsOnlyKeys("c1");
              Assignment a = d.nodeWrites().get("c1").orElseThrow();
              assertThat(a.revision()).isEqualTo(NEW);
              assertThat(a.bootId()).isEqualTo("boot-c1");
              assertThat(d.requeueAfter()).contains(Duration.ofMinutes(10));
            }),
        row("a pending gate waits, touches nothing and looks again in 10 s",
            given().fresh().gate(GateResult.pending("SourceNotFound", "not yet")).nodes(node("c1", "canary")),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.Validating);
              assertThat(d.state().gate().reason()).isEqualTo("SourceNotFound");
              assertThat(d.nodeWrites()).isEmpty();
              assertThat(d.requeueAfter()).contains(Duration.ofSeconds(10));
            }),
        row("a rejected gate touches no node",
            given().fresh().gate(GateResult.rejected("ZeroFilled", "all zero")).nodes(node("c1", "canary")),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.Rejected);
              assertThat(d.nodeWrites()).isEmpty();
              assertThat(reasons(d)).containsExactly(EventReason.Rejected);
            }),
        row("nodes of waves not started hold the stable revision",
            given().state(canaryStarted()).nodes(applied(node("c1", "canary")), node("b-new", "broad")),
            d -> {
              assertThat(d.nodeWrites()).containsOnlyKeys("b-new");
              assertThat(d.nodeWrites().get("b-new").orElseThrow().revision()).isEqualTo(STABLE);
            }),
        row("spec.paused holds the next wave",
            given().state(canaryBaked()).paused().nodes(applied(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.Paused);
              assertThat(d.nodeWrites()).isEmpty();
              assertThat(reasons(d)).containsExactly(EventReason.Paused);
            }),
        row("clearing spec.paused resumes",
            given().state(canaryBaked().withPhase(RolloutPhase.Paused))
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.Progressing);
              assertThat(d.nodeWrites()).containsOnlyKeys("b1");
              assertThat(reasons(d)).contains(EventReason.Resumed, EventReason.WaveCompleted, EventReason.WaveStarted);
            }),
        row("abort rolls back at once and consumes the annotation",
            given().state(canaryStarted()).actions(new Actions(false, true, false)).nodes(applied(node("c1", "canary"))),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.RollingBack);
              assertThat(d.state().stallReason()).isEqualTo(Reason.of(Signal.Aborted));
              assertThat(d.nodeWrites().get("c1").orElseThrow().revision()).isEqualTo(STABLE);
              assertThat(d.clearActions()).isTrue();
            }),
        row("a new sha256 supersedes the revision in flight and goes to the gate",
            given().state(canaryStarted()).digest(OLDER).gate(GateResult.pending("ValidatorJobRunning", "running"))
                .nodes(applied(node("c1", "canary"))),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.Validating);
              assertThat(d.state().revisionDigest()).isEqualTo(OLDER);
              assertThat(reasons(d)).containsExactly(EventReason.Superseded);
              assertThat(d.nodeWrites().get("c1").orElseThrow().revision()).as("back to stable meanwhile")
                  .isEqualTo(STABLE);
            }),
        row("a node that was Ready when assigned and never reports fails the progress deadline",
            given().state(canaryStarted()).now(NOW.plus(Duration.ofMinutes(11)))
                .nodes(assigned(node("c1", "canary")), applied(node("c2", "canary"))),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.RollingBack);
              assertThat(d.state().stallReason()).isEqualTo(Reason.of(Signal.ProgressDeadlineExceeded));
              assertThat(d.state().stall().nodes()).containsExactly("c1");
            }),
        row("retry clears a failed revision and sends it to the gate again",
            given().state(rolledBack()).actions(new Actions(false, false, true)).gate(PASSED)
                .nodes(stable(node("c1", "canary"))),
            d -> {
              assertThat(d.state().failedRevisions()).isEmpty();
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.Progressing);
              assertThat(reasons(d)).contains(EventReason.Retry, EventReason.Validated);
            }),
        row("a revision that failed before is not retried on its own",
            given().state(rolledBack()).nodes(stable(node("c1", "canary"))),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.RolledBack);
              assertThat(d.nodeWrites()).isEmpty();
            }),
        row("a node leaving the fleet loses the channel and blocks nothing",
            given().state(canaryStarted()).nodes(applied(node("c1", "canary")), outOfFleet(applied(node("c2", "canary")))),
            d -> {
              assertThat(d.nodeWrites()).containsOnlyKeys("c2");
              assertThat(d.nodeWrites().get("c2")).isEmpty();
              assertThat(d.state().waves().get(0).phase()).isEqualTo(WavePhase.Baking);
            }),
        row("a wave added to the spec starts pending; progress of the others is kept",
            given().state(canaryBaked()).waves(wave("canary", Duration.ofMinutes(10)), wave("early", Duration.ZERO),
                wave("broad", Duration.ZERO)).nodes(applied(node("c1", "canary")), stable(node("e1", "early"))),
            d -> {
              assertThat(d.state().waves()).extracting(WaveProgress::name).containsExactly("canary", "early", "broad");
              assertThat(d.state().waves().get(0).phase()).isEqualTo(WavePhase.Completed);
              assertThat(d.nodeWrites()).containsOnlyKeys("e1");
            }),
        row("a node not Ready when its wave starts is skipped within the budget, not assigned, not awaited",
            given().state(canaryStarted()).budget("50%")
                .nodes(applied(node("c1", "canary")), down(node("c2", "canary"))),
            d -> {
              assertThat(d.nodeWrites()).isEmpty();
              assertThat(d.state().waves().get(0).phase()).isEqualTo(WavePhase.Baking);
              assertThat(d.counts().waves().get(0).unavailable()).isEqualTo(1);
              assertThat(d.health().unreadyNodes()).isZero();
            }),
        row("past the budget a wave waits with a reason and an Event, and does not roll back",
            given().state(canaryBaked()).budget("0")
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad")), down(stable(node("b2", "broad")))),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.Progressing);
              assertThat(d.state().waves().get(1).phase()).isEqualTo(WavePhase.Pending);
              assertThat(d.state().waiting().reason()).isEqualTo(WaitReason.UnavailableNodes);
              assertThat(d.state().waiting().nodes()).containsExactly("b2");
              assertThat(reasons(d)).contains(EventReason.WaveWaiting);
              assertThat(d.nodeWrites()).isEmpty();
            }),
        row("a wave whose every node is down never starts, whatever the budget",
            given().state(canaryBaked()).budget("100%").nodes(applied(node("c1", "canary")), down(node("b1", "broad"))),
            d -> {
              assertThat(d.state().waves().get(1).phase()).isEqualTo(WavePhase.Pending);
              assertThat(d.state().waiting().message()).contains("needs at least one node");
            }),
        row("a skipped node that comes back Ready gets the revision like a late joiner",
            given().state(canaryBaked()).nodes(applied(node("c1", "canary")), stable(node("c2", "canary"))),
            d -> {
              assertThat(d.nodeWrites()).containsOnlyKeys("c2");
              assertThat(d.nodeWrites().get("c2").orElseThrow().revision()).isEqualTo(NEW);
              assertThat(d.nodeWrites().get("c2").orElseThrow().ready()).isTrue();
            }),
        row("a node deleted mid-wave is dropped and the wave completes",
            given().state(canaryStarted()).nodes(applied(node("c1", "canary"))),
            d -> assertThat(d.state().waves().get(0).phase()).isEqualTo(WavePhase.Baking)),
        row("a node-local fault (disk) within the budget is skipped, not a content failure",
            given().state(canaryStarted()).budget("50%")
                .nodes(applied(node("c1", "canary")), failed(node("c2", "canary"), "WriteError")),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.Progressing);
              assertThat(d.health().contentFailures()).isZero();
              assertThat(d.state().waves().get(0).phase()).isEqualTo(WavePhase.Baking);
              assertThat(d.counts().waves().get(0).unavailable()).isEqualTo(1);
            }),
        row("node-local faults past the budget make the wave wait, naming the nodes, and never roll back",
            given().state(canaryStarted()).budget("0")
                .nodes(applied(node("c1", "canary")), failed(node("c2", "canary"), "WriteError")),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.Progressing);
              assertThat(d.state().waiting().reason()).isEqualTo(WaitReason.NodeFaults);
              assertThat(d.state().waiting().nodes()).containsExactly("c2");
              assertThat(d.state().waiting().message()).contains("WriteError");
            }),
        row("a wave whose only node reports a node-local fault waits naming the node and the agent's reason",
            given().state(canaryStarted()).budget("100%").nodes(failed(node("c1", "canary"), "WriteError")),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.Progressing);
              assertThat(d.state().waiting().reason()).isEqualTo(WaitReason.NodeFaults);
              assertThat(d.state().waiting().nodes()).containsExactly("c1");
              assertThat(d.state().waiting().message()).contains("c1 (WriteError: it failed)");
            }),
        row("a wave whose nodes are all down or faulty names each with its reason",
            given().state(canaryStarted()).budget("100%")
                .nodes(failed(node("c1", "canary"), "SnapshotMissing"), down(node("c2", "canary"))),
            d -> {
              assertThat(d.state().waiting().nodes()).containsExactly("c1", "c2");
              assertThat(d.state().waiting().message()).contains("c1 (SnapshotMissing: it failed)", "c2 (not Ready)");
            }),
        row("a rollout whose selector matches no node is not Succeeded: it waits with NoMatchingNodes",
            given().fresh().gate(PASSED).nodes(outOfFleet(node("x1", "canary"))),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.Progressing);
              assertThat(d.state().waves().get(0).phase()).isEqualTo(WavePhase.Pending);
              assertThat(d.state().waiting().reason()).isEqualTo(WaitReason.NoMatchingNodes);
              assertThat(d.state().waiting().message()).contains("spec.nodeSelector matches no node");
              assertThat(reasons(d)).contains(EventReason.WaveWaiting);
              assertThat(d.nodeWrites()).isEmpty();
            }),
        row("a later wave with no node waits after the canary instead of completing the rollout",
            given().state(canaryBaked()).nodes(applied(node("c1", "canary"))),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.Progressing);
              assertThat(d.state().waves().get(0).phase()).isEqualTo(WavePhase.Completed);
              assertThat(d.state().waves().get(1).phase()).isEqualTo(WavePhase.Pending);
              assertThat(d.state().waiting().reason()).isEqualTo(WaitReason.NoMatchingNodes);
              assertThat(d.state().waiting().message()).contains("wave broad waits", "pools [broad]");
              assertThat(d.state().stableDigest()).isEqualTo(STABLE);
            }),
        row("the waiting wave goes on once a node matches",
            given().state(canaryBaked().withWaiting(Note.of(WaitReason.NoMatchingNodes, "wave broad waits")))
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.state().waves().get(1).phase()).isEqualTo(WavePhase.Progressing);
              assertThat(d.state().waiting()).isNull();
              assertThat(d.nodeWrites()).containsOnlyKeys("b1");
            }),
        row("a content-attributable failure counts against maxContentFailures and rolls back",
            given().state(canaryStarted()).nodes(applied(node("c1", "canary")), failed(node("c2", "canary"),
                "DigestMismatch")),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.RollingBack);
              assertThat(d.state().stallReason()).isEqualTo(Reason.of(Signal.ContentFailures));
            }),
        row("a rollback completes although a down node cannot report",
            given().state(rollingBack()).nodes(stable(node("c1", "canary")), down(stableAssignedOnly(node("c2", "canary")))),
            d -> assertThat(d.state().phase()).isEqualTo(RolloutPhase.RolledBack)),
        row("a rollback a revocation already settled is done once its catch-up writes land: looked at right after them",
            given().state(rollingBack()).nodes(revertedByRevocation(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.RollingBack);
              assertThat(d.nodeWrites()).containsOnlyKeys("c1");
              assertThat(d.nodeWrites().get("c1").orElseThrow().revision()).isEqualTo(STABLE);
              assertThat(d.requeueAfter()).contains(Duration.ZERO);
            }),
        row("with no stable revision, a rollback the revocation already emptied is looked at right after its removals",
            given().state(rollingBack().withStable(null)).nodes(emptiedByRevocation(node("c1", "canary")),
                node("b1", "broad")),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.RollingBack);
              assertThat(d.nodeWrites()).containsOnlyKeys("c1");
              assertThat(d.nodeWrites().get("c1")).as("the assignment removed").isEmpty();
              assertThat(d.requeueAfter()).contains(Duration.ZERO);
            }),
        row("... and with the removals in place it is RolledBack",
            given().state(rollingBack().withStable(null)).nodes(node("c1", "canary"), node("b1", "broad")),
            d -> assertThat(d.state().phase()).isEqualTo(RolloutPhase.RolledBack)),
        row("... and with the writes in place it is RolledBack",
            given().state(rollingBack()).nodes(stable(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.RolledBack);
              assertThat(reasons(d)).contains(EventReason.RolledBack);
              assertThat(d.nodeWrites()).isEmpty();
            }),
        row("a rollback whose only write is a clear of a node still holding its assignment is not looked at again at once"
                + " (a clear the v1 edge drops would otherwise ask forever)",
            given().state(rollingBack()).nodes(stable(node("c1", "canary")), outOfFleet(stable(node("c2", "canary")))),
            d -> {
              assertThat(d.nodeWrites()).containsOnlyKeys("c2");
              assertThat(d.nodeWrites().get("c2")).isEmpty();
              assertThat(d.requeueAfter()).isEmpty();
            }),
        row("a rollback is not settled while a Ready node still reports the new revision: its report brings the next look",
            given().state(rollingBack()).nodes(applied(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.RollingBack);
              assertThat(d.nodeWrites()).containsOnlyKeys("c1");
              assertThat(d.requeueAfter()).isEmpty();
            }),
        row("the pull cap assigns a started wave's nodes up to the cap, in plan order; the others keep what they hold",
            given().state(canaryStarted()).pullCap(2)
                .nodes(stable(node("c1", "canary")), stable(node("c2", "canary")), stable(node("c3", "canary"))),
            d -> {
              assertThat(d.nodeWrites()).containsOnlyKeys("c1", "c2");
              assertThat(d.nodeWrites().values()).allSatisfy(a -> assertThat(a.orElseThrow().revision()).isEqualTo(NEW));
            }),
        row("nodes assigned the revision and not reported on it yet are the pulls in flight: none more past the cap",
            given().state(canaryStarted()).pullCap(2)
                .nodes(assigned(node("c1", "canary")), assigned(node("c2", "canary")), stable(node("c3", "canary"))),
            d -> assertThat(d.nodeWrites()).isEmpty()),
        row("a node that reports frees its pull for the next one",
            given().state(canaryStarted()).pullCap(2)
                .nodes(applied(node("c1", "canary")), assigned(node("c2", "canary")), stable(node("c3", "canary"))),
            d -> assertThat(d.nodeWrites()).containsOnlyKeys("c3")),
        row("a rollback is never held by the pull cap",
            given().state(rollingBack()).pullCap(1)
                .nodes(applied(node("c1", "canary")), applied(node("c2", "canary")), applied(node("c3", "canary"))),
            d -> assertThat(d.nodeWrites()).containsOnlyKeys("c1", "c2", "c3")),
        row("with rollback: Manual a breach halts without writes",
            given().state(canaryStarted()).rollback(RollbackPolicy.Manual)
                .nodes(rebooted(applied(node("c1", "canary"))), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.Halted);
              assertThat(d.state().stallReason()).isEqualTo(Reason.of(Signal.NodesRebooted));
              assertThat(d.state().failedRevisions()).isEmpty();
              assertThat(d.nodeWrites()).isEmpty();
              assertThat(reasons(d)).containsExactly(EventReason.Halted);
            }),
        row("a halted rollout keeps nodes where they are and a new node gets the stable revision",
            given().state(canaryStarted().withPhase(RolloutPhase.Halted).withStall(Note.of(Reason.of(Signal.NodesRebooted), "1 node")))
                .rollback(RollbackPolicy.Manual).nodes(rebooted(applied(node("c1", "canary"))), node("c9", "canary")),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.Halted);
              assertThat(d.nodeWrites()).containsOnlyKeys("c9");
              assertThat(d.nodeWrites().get("c9").orElseThrow().revision()).isEqualTo(STABLE);
            }),
        row("abort ends a halt with a rollback",
            given().state(canaryStarted().withPhase(RolloutPhase.Halted).withStall(Note.of(Reason.of(Signal.NodesRebooted), "1 node")))
                .rollback(RollbackPolicy.Manual).actions(new Actions(false, true, false))
                .nodes(rebooted(applied(node("c1", "canary")))),
            d -> assertThat(d.state().phase()).isEqualTo(RolloutPhase.RollingBack)),
        row("a reboot rolls back to the stable revision and records the failure",
            given().state(canaryStarted()).nodes(rebooted(applied(node("c1", "canary"))), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.RollingBack);
              assertThat(d.state().failedRevisions()).containsExactly(NEW);
              assertThat(d.nodeWrites()).containsOnlyKeys("c1");
              assertThat(d.nodeWrites().get("c1").orElseThrow().revision()).isEqualTo(STABLE);
              assertThat(d.nodeWrites().get("c1").orElseThrow().confirmAfter())
                  .as("a return to the stable revision is confirmed on the node at once").isNull();
            }),
        row("a new revision is assigned tentative for confirmAfter",
            given().state(canaryStarted()).nodes(node("c1", "canary"), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.nodeWrites()).containsOnlyKeys("c1");
              assertThat(d.nodeWrites().get("c1").orElseThrow().revision()).isEqualTo(NEW);
              assertThat(d.nodeWrites().get("c1").orElseThrow().confirmAfter()).isEqualTo("5m");
            }),
        row("a failed metric measurement beyond failureLimit rolls back, naming the metric and the nodes",
            given().state(canaryStarted()).metrics(CRASHES)
                .readings(reading(MetricJudge.Outcome.Failed, 2.0, "2 > max 0"))
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.RollingBack);
              assertThat(d.state().stallReason()).isEqualTo(Reason.of(Signal.MetricThreshold));
              assertThat(d.state().stall().message()).contains("metric crashes: 2 > max 0 over 1 updated node (c1)");
              assertThat(d.state().metrics().get(0).failures()).isEqualTo(1);
              assertThat(reasons(d)).contains(EventReason.MetricMeasurement, EventReason.RollbackStarted);
            }),
        row("an inconclusive metric halts even under rollback: Automatic",
            given().state(canaryStarted()).metrics(CRASHES)
                .readings(reading(MetricJudge.Outcome.Inconclusive, null, "the query returned no data"))
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.Halted);
              assertThat(d.state().stallReason()).isEqualTo(Reason.of(Signal.MetricInconclusive));
              assertThat(d.nodeWrites()).isEmpty();
            }),
        row("promote goes on past an inconclusive metric and does not also end the bake",
            given().state(canaryBaking().withPhase(RolloutPhase.Halted).withStall(Note.of(Reason.of(Signal.MetricInconclusive), "no data"))
                .withMetrics(MetricGates.fold(List.of(CRASHES), List.of(), List.of(reading(MetricJudge.Outcome.Inconclusive,
                    null, "no data")), NEW)))
                .metrics(CRASHES).actions(new Actions(true, false, false))
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.Progressing);
              assertThat(d.state().stall()).isNull();
              assertThat(d.state().metrics().get(0).noDataAccepted()).isTrue();
              assertThat(d.state().waves().get(0).phase()).as("still baking").isEqualTo(WavePhase.Baking);
            }),
        row("a due metric is measured over the nodes updated so far, the others as its baseline",
            given().state(canaryStarted()).metrics(CRASHES)
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.measure()).isPresent();
              assertThat(d.measure().get().due()).containsExactly(CRASHES);
              assertThat(d.measure().get().variables().nodes()).containsExactly("c1");
              assertThat(d.measure().get().stableNodes()).containsExactly("b1");
              assertThat(d.requeueAfter()).isPresent();
            }),
        row("a rollback that has only begun is not in the history yet",
            given().state(canaryStarted()).nodes(rebooted(applied(node("c1", "canary"))), stable(node("b1", "broad"))),
            d -> assertThat(d.state().history()).isEmpty()),
        row("a revision that completes every wave goes into the history",
            given().state(canaryBaked().withWaves(List.of(new WaveProgress("canary", WavePhase.Completed,
                NOW.minusSeconds(700), NOW.minusSeconds(100), NOW.minusSeconds(100)), new WaveProgress("broad",
                WavePhase.Progressing, NOW.minusSeconds(90), null, null))))
                .nodes(applied(node("c1", "canary")), applied(node("b1", "broad"))),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.Succeeded);
              assertThat(d.state().history()).containsExactly(new HistoryEntry(NEW, "Succeeded", null,
                  NOW.minusSeconds(700), NOW));
            }),
        row("a revision superseded in flight goes into the history",
            given().state(canaryStarted()).digest(OLDER).nodes(applied(node("c1", "canary"))),
            d -> {
              assertThat(d.state().history()).hasSize(1);
              assertThat(d.state().history().get(0).outcome()).isEqualTo("Superseded");
              assertThat(d.state().history().get(0).revision()).isEqualTo(NEW);
            }),
        row("promote ends the bake at once",
            given().state(canaryBaking()).actions(new Actions(true, false, false)).now(NOW.plusSeconds(1))
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.state().waves().get(0).phase()).isEqualTo(WavePhase.Completed);
              assertThat(d.clearActions()).isTrue();
            }),
        row("a wave with approval: Manual waits for a person once the one before completed; its nodes get nothing",
            given().state(canaryBaked()).waves(wave("canary", Duration.ofMinutes(10)), manual(wave("broad", Duration.ZERO)))
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.state().waves().get(0).phase()).isEqualTo(WavePhase.Completed);
              assertThat(d.state().waves().get(1).phase()).isEqualTo(WavePhase.Pending);
              assertThat(d.state().waiting().reason()).isEqualTo(WaitReason.AwaitingApproval);
              assertThat(d.state().waiting().message()).contains("kubectl wavegate approve sensor");
              assertThat(reasons(d)).contains(EventReason.WaveWaiting);
              assertThat(d.nodeWrites()).isEmpty();
            }),
        row("approve starts the wave waiting for approval",
            given().state(canaryBaked()).waves(wave("canary", Duration.ofMinutes(10)), manual(wave("broad", Duration.ZERO)))
                .actions(new Actions(false, false, false, true))
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.state().waves().get(1).phase()).isEqualTo(WavePhase.Progressing);
              assertThat(d.nodeWrites()).containsOnlyKeys("b1");
              assertThat(d.clearActions()).isTrue();
            }),
        row("promote during a bake ends the bake and is not also the next wave's approval",
            given().state(canaryBaking()).waves(wave("canary", Duration.ofMinutes(10)), manual(wave("broad", Duration.ZERO)))
                .actions(new Actions(true, false, false)).now(NOW.plusSeconds(1))
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.state().waves().get(0).phase()).isEqualTo(WavePhase.Completed);
              assertThat(d.state().waiting().reason()).isEqualTo(WaitReason.AwaitingApproval);
              assertThat(d.nodeWrites()).isEmpty();
            }),
        row("promote while no wave bakes approves the waiting wave",
            given().state(canaryBaked().withWaves(List.of(new WaveProgress("canary", WavePhase.Completed, NOW, NOW, NOW),
                    WaveProgress.pending("broad"))))
                .waves(wave("canary", Duration.ofMinutes(10)), manual(wave("broad", Duration.ZERO)))
                .actions(new Actions(true, false, false))
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> assertThat(d.nodeWrites()).containsOnlyKeys("b1")),
        row("a GeneralAvailability pool is held while the early-access canary is in flight: not assigned, not awaited",
            given().state(canaryStarted()).policies(policy("ga", "broad", UpdateRing.GeneralAvailability, Duration.ZERO,
                    null))
                .nodes(assigned(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.nodeWrites()).isEmpty();
              assertThat(d.holds()).containsOnlyKeys("b1");
              assertThat(d.holds().get("b1").reason()).isEqualTo(HoldReason.AwaitingEarlyAccess);
              assertThat(d.state().generallyAvailableAt()).isNull();
              assertThat(d.counts().waves().get(1).held()).isEqualTo(1);
            }),
        row("the canary baked: the revision is generally available and a broad wave its delay holds waits, naming the"
                + " policy, and wakes when the delay ends",
            given().state(canaryBaked()).policies(policy("ga", "broad", UpdateRing.GeneralAvailability,
                    Duration.ofHours(1), null))
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad")), stable(node("b2", "broad"))),
            d -> {
              assertThat(d.state().waves().get(0).phase()).isEqualTo(WavePhase.Completed);
              assertThat(d.state().waves().get(1).phase()).as("never completes over zero nodes")
                  .isEqualTo(WavePhase.Pending);
              assertThat(d.state().generallyAvailableAt()).isEqualTo(NOW);
              assertThat(d.state().waiting().reason()).isEqualTo(WaitReason.HeldByPolicy);
              assertThat(d.state().waiting().message()).contains("policy ga delays").contains("b1", "b2");
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.Progressing);
              assertThat(d.nodeWrites()).isEmpty();
              assertThat(d.requeueAfter()).contains(Duration.ofHours(1));
            }),
        row("the delay over, the broad wave starts",
            given().state(canaryBaked().withGenerallyAvailableAt(NOW.minus(Duration.ofHours(2))))
                .policies(policy("ga", "broad", UpdateRing.GeneralAvailability, Duration.ofHours(1), null))
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.state().waves().get(1).phase()).isEqualTo(WavePhase.Progressing);
              assertThat(d.nodeWrites()).containsOnlyKeys("b1");
              assertThat(d.holds()).isEmpty();
            }),
        row("a deny window that opens mid-wave holds the nodes not yet assigned; the wave completes over the rest",
            given().state(broadStarted()).policies(policy("freeze", "broad", UpdateRing.EarlyAccess, Duration.ZERO, null,
                    deny("11:00", "13:00")))
                .nodes(applied(node("c1", "canary")), applied(node("b1", "broad")), stable(node("b2", "broad"))),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.Succeeded);
              assertThat(d.nodeWrites()).isEmpty();
              assertThat(d.holds().get("b2").reason()).isEqualTo(HoldReason.DenyWindow);
              assertThat(d.requeueAfter()).as("wakes when the window closes").contains(Duration.ofHours(1));
            }),
        row("an allow window that opens mid-wave lets its held nodes in, awaited like nodes that joined late",
            given().state(broadStarted()).now(NOW.plus(Duration.ofMinutes(31)))
                .policies(policy("nights", "broad", UpdateRing.EarlyAccess, Duration.ZERO, null,
                    new Window(WindowType.Allow, EnumSet.allOf(DayOfWeek.class), LocalTime.parse("12:30"),
                        LocalTime.parse("13:00"), ZoneOffset.UTC)))
                .nodes(applied(node("c1", "canary")), applied(node("b1", "broad")), stable(node("b2", "broad"))),
            d -> {
              assertThat(d.nodeWrites()).containsOnlyKeys("b2");
              assertThat(d.nodeWrites().get("b2").orElseThrow().revision()).isEqualTo(NEW);
              assertThat(d.state().waves().get(1).phase()).as("it waits for b2 to apply").isEqualTo(WavePhase.Progressing);
              assertThat(d.holds()).isEmpty();
            }),
        row("a deny window over the bake: the bake completes, and the next wave waits for the window to close",
            given().state(canaryBaked()).policies(policy("freeze", "broad", UpdateRing.EarlyAccess, Duration.ZERO, null,
                    deny("11:00", "13:00")))
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.state().waves().get(0).phase()).isEqualTo(WavePhase.Completed);
              assertThat(d.state().waves().get(1).phase()).isEqualTo(WavePhase.Pending);
              assertThat(d.state().waiting().reason()).isEqualTo(WaitReason.HeldByPolicy);
              assertThat(d.state().waiting().message()).contains("policy freeze: a deny window is open until "
                  + NOW.plus(Duration.ofHours(1)));
              assertThat(d.requeueAfter()).contains(Duration.ofHours(1));
              assertThat(d.nodeWrites()).isEmpty();
            }),
        row("once Succeeded, a node whose window closed takes the stable revision",
            given().state(succeeded()).now(NOW.plus(Duration.ofHours(1)))
                .policies(policy("freeze", "broad", UpdateRing.EarlyAccess, Duration.ZERO, null, deny("11:00", "13:00")))
                .nodes(applied(node("c1", "canary")), applied(node("b1", "broad")), stable(node("b2", "broad"))),
            d -> {
              assertThat(d.nodeWrites()).containsOnlyKeys("b2");
              assertThat(d.nodeWrites().get("b2").orElseThrow().revision()).isEqualTo(NEW);
            }),
        row("a breach during a freeze reverts every node at once",
            given().state(canaryStarted()).policies(policy("freeze", "canary", UpdateRing.EarlyAccess, Duration.ZERO,
                    null, deny("11:00", "13:00")))
                .nodes(rebooted(applied(node("c1", "canary"))), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.RollingBack);
              assertThat(d.nodeWrites().get("c1").orElseThrow().revision()).isEqualTo(STABLE);
            }),
        row("a pinned node keeps its revision through a rollback; the rollback moves the others",
            given().state(rollingBack()).policies(policy("pinned", "broad", UpdateRing.EarlyAccess, Duration.ZERO,
                    new UpdatePolicy.Pin(OLDER, Optional.empty())))
                .nodes(applied(node("c1", "canary")), olderPinned(node("b1", "broad"))),
            d -> {
              assertThat(d.nodeWrites()).containsOnlyKeys("c1");
              assertThat(d.nodeWrites().get("c1").orElseThrow().revision()).isEqualTo(STABLE);
            }),
        row("a wave whose nodes are all paused is skipped: the rollout succeeds without them, shown as held",
            given().state(canaryBaked()).policies(policy("paused", "broad", UpdateRing.Paused, Duration.ZERO, null))
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad")), stable(node("b2", "broad"))),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.Succeeded);
              assertThat(d.state().waves().get(1).phase()).isEqualTo(WavePhase.Completed);
              assertThat(reasons(d)).contains(EventReason.WaveSkipped, EventReason.Succeeded);
              assertThat(d.nodeWrites()).isEmpty();
              assertThat(d.counts().waves().get(1).held()).isEqualTo(2);
              assertThat(d.counts().waves().get(1).unavailable()).isZero();
              assertThat(d.requeueAfter()).as("Paused: no time to wake at").isEmpty();
            }),
        row("a pin to a revision the channel revoked is left, and the decision says so for status",
            given().state(succeeded().withFailedRevisions(List.of(OLDER))).policies(policy("pinned", "broad",
                    UpdateRing.EarlyAccess, Duration.ZERO, new UpdatePolicy.Pin(OLDER, Optional.empty())))
                .nodes(applied(node("c1", "canary")), olderPinned(node("b1", "broad"))),
            d -> {
              assertThat(d.nodeWrites()).containsOnlyKeys("b1");
              assertThat(d.nodeWrites().get("b1").orElseThrow().revision()).isEqualTo(NEW);
              assertThat(d.policyNotes()).singleElement().asString().contains("policy pinned pins cccccccccccc",
                  "the pin is left");
            }),
        row("a held node is not counted against maxUnavailableNodes",
            given().state(canaryBaked()).budget("0").policies(new UpdatePolicy("team-b", 0, Set.of("broad"),
                    new io.fabric8.kubernetes.api.model.LabelSelectorBuilder().withMatchLabels(Map.of("owner", "team-b"))
                        .build(), Set.of(), null, true, UpdateRing.GeneralAvailability, Duration.ofHours(1),
                    Optional.empty(), List.of(), Duration.ZERO, Optional.empty(), Optional.empty()))
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad")),
                    withLabel(stable(node("b2", "broad")), "owner", "team-b")),
            d -> {
              assertThat(d.state().waves().get(1).phase()).isEqualTo(WavePhase.Progressing);
              assertThat(d.nodeWrites()).containsOnlyKeys("b1");
              assertThat(d.holds().get("b2").reason()).isEqualTo(HoldReason.AwaitingEarlyAccess);
              assertThat(d.counts().waves().get(1).unavailable()).isZero();
            }),
        row("a Paused policy does not hold a critical channel",
            given().state(canaryBaked()).critical().policies(policy("paused", "broad", UpdateRing.Paused,
                    Duration.ZERO, null))
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.nodeWrites()).containsOnlyKeys("b1");
              assertThat(d.holds()).isEmpty();
            }),
        row("a pinned pool stays pinned after the rollout succeeded and takes the stable revision when the pin expires",
            given().state(succeeded()).now(NOW.plus(Duration.ofMinutes(30))).policies(policy("pinned", "broad",
                    UpdateRing.EarlyAccess, Duration.ZERO, new UpdatePolicy.Pin(STABLE, Optional.of(NOW.plus(
                        Duration.ofMinutes(31))))))
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.nodeWrites()).isEmpty();
              assertThat(d.holds().get("b1").reason()).isEqualTo(HoldReason.Pinned);
              assertThat(d.requeueAfter()).contains(Duration.ofMinutes(1));
            }),
        row("a PreWave webhook not answered yet is asked, off the reconcile, and the wave waits for it",
            given().state(canaryBaked()).waves(wave("canary", Duration.ofMinutes(10)),
                    withWebhook(wave("broad", Duration.ZERO), PRE))
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.webhookCalls()).singleElement().satisfies(c -> {
                assertThat(c.wave()).isEqualTo("broad");
                assertThat(c.def().name()).isEqualTo("confirm");
                assertThat(c.revision()).isEqualTo(NEW);
              });
              assertThat(d.state().waiting().reason()).isEqualTo(WaitReason.WebhookPending);
              assertThat(d.nodeWrites()).isEmpty();
            }),
        row("a PreWave webhook that says yes starts the wave",
            given().state(canaryBaked()).waves(wave("canary", Duration.ofMinutes(10)),
                    withWebhook(wave("broad", Duration.ZERO), PRE))
                .answers(answer("broad", PRE, true, NOW.minusSeconds(1)))
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.state().waves().get(1).phase()).isEqualTo(WavePhase.Progressing);
              assertThat(d.nodeWrites()).containsOnlyKeys("b1");
              assertThat(d.webhookCalls()).isEmpty();
              assertThat(d.state().webhooks()).singleElement().satisfies(a -> assertThat(a.passed()).isTrue());
            }),
        row("a PreWave webhook that says no holds the wave, says why, and is asked again 15 s later",
            given().state(canaryBaked()).waves(wave("canary", Duration.ofMinutes(10)),
                    withWebhook(wave("broad", Duration.ZERO), PRE))
                .answers(answer("broad", PRE, false, NOW.minusSeconds(5)))
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.state().waiting().reason()).isEqualTo(WaitReason.WebhookRejected);
              assertThat(d.state().waiting().message()).contains("webhook confirm said no", "HTTP 409: change freeze");
              assertThat(reasons(d)).contains(EventReason.WebhookRefused);
              assertThat(d.webhookCalls()).as("not before 15 s").isEmpty();
              assertThat(d.requeueAfter()).contains(Duration.ofSeconds(10));
              assertThat(d.nodeWrites()).isEmpty();
            }),
        row("a bake over asks its PostBake webhook and the wave does not complete before a yes",
            given().state(canaryBaked()).waves(withWebhook(wave("canary", Duration.ofMinutes(10)), POST),
                    wave("broad", Duration.ZERO))
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.state().waves().get(0).phase()).isEqualTo(WavePhase.Baking);
              assertThat(d.webhookCalls()).singleElement().satisfies(c -> assertThat(c.def().type())
                  .isEqualTo(WebhookType.PostBake));
              assertThat(d.nodeWrites()).isEmpty();
            }),
        row("a PostBake webhook that says no is a breach: the rollout rolls back with its message",
            given().state(canaryBaked()).waves(withWebhook(wave("canary", Duration.ofMinutes(10)), POST),
                    wave("broad", Duration.ZERO))
                .answers(answer("canary", POST, false, NOW.minusSeconds(1)))
                .nodes(applied(node("c1", "canary")), stable(node("b1", "broad"))),
            d -> {
              assertThat(d.state().phase()).isEqualTo(RolloutPhase.RollingBack);
              assertThat(d.state().stallReason()).isEqualTo(Reason.of(Signal.WebhookRejected));
              assertThat(d.state().stall().message()).contains("PostBake webhook confirm of wave canary said no",
                  "HTTP 409: change freeze");
              assertThat(d.nodeWrites().get("c1").orElseThrow().revision()).isEqualTo(STABLE);
            }),
        row("no write and no event at steady state",
            given().state(succeeded()).nodes(applied(node("c1", "canary")), applied(node("b1", "broad"))),
            d -> {
              assertThat(d.state()).isEqualTo(succeeded());
              assertThat(d.nodeWrites()).isEmpty();
              assertThat(d.events()).isEmpty();
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(String name, Given given, Consumer<RolloutDecision> then) {
    then.accept(RolloutDecider.decide(given.input()));
  }

  @Test
  void aSpecThatCannotBeEvaluatedStallsOnceWithAnEventAndWritesNothing() {
    RolloutDecision first = RolloutDecider.cannotEvaluate(canaryStarted(), NEW, "spec.nodeSelector: bad operator");
    assertThat(first.state().stallReason()).isEqualTo(StopReason.InvalidSpec);
    assertThat(first.nodeWrites()).isEmpty();
    assertThat(reasons(first)).containsExactly(EventReason.InvalidSpec);
    RolloutDecision again = RolloutDecider.cannotEvaluate(first.state(), NEW, "spec.nodeSelector: bad operator");
    assertThat(again.events()).isEmpty();

    RolloutDecision fixed = RolloutDecider.decide(given().state(first.state()).nodes(applied(node("c1", "canary"))).input());
    assertThat(fixed.state().stall()).isNull();
    assertThat(fixed.state().phase()).isEqualTo(RolloutPhase.Progressing);
  }

  static final String TEMPLATE_MISSING = "metric gate reboots: ContentMetricTemplate node-reboots not found";

  @Test
  void aMissingMetricTemplateStallsBeforeAnyWaveStartsWithOneEventAndTheCanaryStartsOnceItResolves() {
    Given missing = given().fresh().gate(PASSED).unresolved(TEMPLATE_MISSING)
        .nodes(node("c1", "canary"), node("b1", "broad"));
    RolloutDecision first = RolloutDecider.decide(missing.input());
    assertThat(first.state().phase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(first.state().stallReason()).isEqualTo(StopReason.MetricTemplateUnresolved);
    assertThat(first.state().stall().message()).startsWith(TEMPLATE_MISSING).contains("no wave starts");
    assertThat(first.state().waves()).allMatch(w -> w.phase() == WavePhase.Pending);
    assertThat(first.nodeWrites()).as("no node is assigned the revision").allSatisfy((node, assignment) ->
        assertThat(assignment.map(Assignment::revision)).isNotEqualTo(Optional.of(NEW)));
    assertThat(reasons(first)).containsExactly(EventReason.Validated, EventReason.MetricTemplateUnresolved);

    RolloutDecision again = RolloutDecider.decide(given().state(first.state()).unresolved(TEMPLATE_MISSING)
        .nodes(node("c1", "canary"), node("b1", "broad")).input());
    assertThat(again.events()).isEmpty();
    assertThat(again.state().stall()).isEqualTo(first.state().stall());

    RolloutDecision resolved = RolloutDecider.decide(given().state(first.state())
        .nodes(node("c1", "canary"), node("b1", "broad")).input());
    assertThat(resolved.state().stall()).isNull();
    assertThat(resolved.nodeWrites().get("c1").orElseThrow().revision()).isEqualTo(NEW);
    assertThat(reasons(resolved)).contains(EventReason.WaveStarted);
  }

  @Test
  void aTemplateMissingForALaterWaveHoldsTheBakeButTheHealthGatesStillRollBack() {
    Given baked = given().state(canaryBaked()).unresolved(TEMPLATE_MISSING)
        .nodes(applied(node("c1", "canary")), stable(node("b1", "broad")));
    RolloutDecision held = RolloutDecider.decide(baked.input());
    assertThat(held.state().stallReason()).isEqualTo(StopReason.MetricTemplateUnresolved);
    assertThat(held.nodeWrites()).as("the broad wave does not start").isEmpty();

    RolloutDecision breach = RolloutDecider.decide(given().state(held.state()).unresolved(TEMPLATE_MISSING)
        .nodes(rebooted(applied(node("c1", "canary"))), stable(node("b1", "broad"))).input());
    assertThat(breach.state().phase()).isEqualTo(RolloutPhase.RollingBack);
    assertThat(breach.state().stallReason()).isEqualTo(Reason.of(Signal.NodesRebooted));
  }

  @Test
  void aWaveWaitingForNodesStartsWhenTheyAreBackAndTheEventIsNotRepeated() {
    Given waiting = given().state(canaryBaked()).budget("0")
        .nodes(applied(node("c1", "canary")), stable(node("b1", "broad")), down(stable(node("b2", "broad"))));
    RolloutDecision first = RolloutDecider.decide(waiting.input());
    RolloutDecision still = RolloutDecider.decide(waiting.state(first.state()).input());
    assertThat(still.events()).isEmpty();

    RolloutDecision back = RolloutDecider.decide(given().state(first.state()).budget("0")
        .nodes(applied(node("c1", "canary")), stable(node("b1", "broad")), stable(node("b2", "broad"))).input());
    assertThat(back.state().waiting()).isNull();
    assertThat(back.nodeWrites()).containsOnlyKeys("b1", "b2");
  }

  static List<EventReason> reasons(RolloutDecision decision) {
    return decision.events().stream().map(RolloutEvent::reason).toList();
  }

  private static Arguments row(String name, Given given, Consumer<RolloutDecision> then) {
    return Arguments.of(name, given, then);
  }

  // ---- fixtures

  static Given given() {
    return new Given();
  }

  /** A mutable builder of one decision's input; defaults: canary then broad, every limit 0, budget 10%. */
  static final class Given {
    private RolloutState state = RolloutState.INITIAL;
    private GateResult gate = GateResult.notNeeded();
    private List<FleetNode> nodes = List.of();
    private FleetFacts fleet;
    private Actions actions = Actions.NONE;
    private Instant now = NOW;
    private String digest = NEW;
    private boolean paused;
    private int pullCap = RolloutInput.NO_PULL_CAP;
    private RollbackPolicy rollback = RollbackPolicy.Automatic;
    private String budget = "10%";
    private List<WaveDef> waves;
    private List<MetricDef> metrics = List.of();
    private List<MetricReading> readings = List.of();
    private List<UpdatePolicy> policies = List.of();
    private boolean critical;
    private List<WebhookAnswer> answers = List.of();
    private List<String> unresolved;

    Given fresh() { state = RolloutState.INITIAL; return this; }
    Given state(RolloutState s) { state = s; return this; }
    Given gate(GateResult g) { gate = g; return this; }
    Given nodes(FleetNode... n) { nodes = Arrays.asList(n); return this; }
    Given fleet(FleetFacts f) { fleet = f; return this; }
    Given actions(Actions a) { actions = a; return this; }
    Given now(Instant t) { now = t; return this; }
    Given digest(String d) { digest = d; return this; }
    Given paused() { paused = true; return this; }
    Given pullCap(int cap) { pullCap = cap; return this; }
    Given rollback(RollbackPolicy r) { rollback = r; return this; }
    Given budget(String b) { budget = b; return this; }
    Given waves(WaveDef... w) { waves = List.of(w); return this; }
    Given metrics(MetricDef... m) { metrics = List.of(m); return this; }
    Given readings(MetricReading... r) { readings = List.of(r); return this; }
    Given policies(UpdatePolicy... p) { policies = List.of(p); return this; }
    Given critical() { critical = true; return this; }
    Given answers(WebhookAnswer... a) { answers = List.of(a); return this; }
    Given unresolved(String... problems) { unresolved = List.of(problems); return this; }

    RolloutInput input() {
      List<WaveDef> defs = waves != null ? waves : List.of(wave("canary", Duration.ofMinutes(10)), wave("broad", Duration.ZERO));
      CountOrPercent unavailable = CountOrPercent.of(budget.endsWith("%")
          ? new io.fabric8.kubernetes.api.model.IntOrString(budget)
          : new io.fabric8.kubernetes.api.model.IntOrString(Integer.parseInt(budget)), 0);
      List<WaveDef> withBudget = defs.stream().map(w -> new WaveDef(w.rule(), w.bakeTime(), w.limits(),
          w.progressDeadline(), unavailable, metrics, w.manualApproval(), w.webhooks(),
          unresolved != null ? unresolved : w.unresolvedMetrics())).toList();
      return new RolloutInput("sensor", 1, 1, digest, "wavegate-system", false, "5m", paused, rollback, "wavegate.io/pool",
          withBudget, state, gate, fleet != null ? fleet : FleetFacts.of(nodes), actions, now, readings, pullCap, new UpdatePolicies(policies, "wavegate.io/pool",
          critical, Set.copyOf(state.failedRevisions()), now), answers);
    }
  }

  static final MetricDef CRASHES = new MetricDef("crashes", "http://p:9090", "q", Duration.ofSeconds(30),
      new MetricJudge.Limits(null, 0.0, MetricJudge.NoData.Inconclusive, null, null), 0, 2, null, false,
      Duration.ofSeconds(5), null);

  static MetricReading reading(MetricJudge.Outcome outcome, Double value, String reason) {
    return new MetricReading("crashes", NEW, NOW.minusSeconds(1), new MetricJudge.Verdict(outcome, value, reason),
        List.of("c1"), null);
  }

  @Test
  void theHistoryKeepsTheLastTenAndTheRollbackReason() {
    List<HistoryEntry> history = List.of();
    for (int i = 0; i < 12; i++) {
      history = RolloutDecider.append(history, new HistoryEntry("r" + i, "Succeeded", null, NOW, NOW));
    }
    assertThat(history).hasSize(RolloutDecider.HISTORY);
    assertThat(history.get(0).revision()).isEqualTo("r2");

    RolloutDecision breach = RolloutDecider.decide(given().state(canaryStarted())
        .nodes(rebooted(applied(node("c1", "canary"))), stable(node("b1", "broad"))).input());
    RolloutDecision reverted = RolloutDecider.decide(given().state(breach.state())
        .nodes(stable(node("c1", "canary")), stable(node("b1", "broad"))).now(NOW.plusSeconds(5)).input());
    assertThat(reverted.state().phase()).isEqualTo(RolloutPhase.RolledBack);
    assertThat(reverted.state().history()).containsExactly(new HistoryEntry(NEW, "RolledBack", "NodesRebooted",
        NOW.minusSeconds(5), NOW.plusSeconds(5)));
  }

  static WaveDef wave(String pool, Duration bake) {
    return new WaveDef(new WaveRule(pool, Set.of(pool), null, new CountOrPercent(Integer.MAX_VALUE, null)), bake, ZERO,
        Duration.ofMinutes(10), new CountOrPercent(0, 10));
  }

  static final WebhookDef PRE = new WebhookDef("confirm", WebhookType.PreWave, "http://hooks/confirm",
      Duration.ofSeconds(10), 2, null);
  static final WebhookDef POST = new WebhookDef("confirm", WebhookType.PostBake, "http://hooks/confirm",
      Duration.ofSeconds(10), 2, null);

  static WaveDef withWebhook(WaveDef wave, WebhookDef webhook) {
    return new WaveDef(wave.rule(), wave.bakeTime(), wave.limits(), wave.progressDeadline(), wave.maxUnavailable(),
        wave.metrics(), wave.manualApproval(), List.of(webhook));
  }

  static WebhookAnswer answer(String wave, WebhookDef webhook, boolean yes, Instant at) {
    return new WebhookAnswer(NEW, wave, webhook.name(), webhook.type(), yes, yes ? "HTTP 200" : "HTTP 409: change freeze",
        at);
  }

  static WaveDef manual(WaveDef wave) {
    return new WaveDef(wave.rule(), wave.bakeTime(), wave.limits(), wave.progressDeadline(), wave.maxUnavailable(),
        wave.metrics(), true);
  }

  static RolloutState canaryStarted() {
    return new RolloutState(RolloutPhase.Progressing, NEW, STABLE, List.of(),
        List.of(new WaveProgress("canary", WavePhase.Progressing, NOW.minusSeconds(5), null, null),
            WaveProgress.pending("broad")), PASSED, null, null);
  }

  static RolloutState broadStarted() {
    return canaryStarted().withWaves(List.of(new WaveProgress("canary", WavePhase.Completed, NOW.minusSeconds(700),
        NOW.minusSeconds(100), NOW.minusSeconds(100)), new WaveProgress("broad", WavePhase.Progressing,
        NOW.minusSeconds(10), null, null)));
  }

  static UpdatePolicy policy(String name, String pool, UpdateRing ring, Duration delay, UpdatePolicy.Pin pin,
      Window... windows) {
    return new UpdatePolicy(name, 0, Set.of(pool), null, Set.of(), null, true, ring, delay, Optional.ofNullable(pin),
        List.of(windows), Duration.ZERO, Optional.empty(), Optional.empty());
  }

  /** A daily deny window in UTC. */
  static Window deny(String start, String end) {
    return new Window(WindowType.Deny, EnumSet.allOf(DayOfWeek.class), LocalTime.parse(start), LocalTime.parse(end),
        ZoneOffset.UTC);
  }

  static RolloutState canaryBaking() {
    return canaryStarted().withWaves(List.of(new WaveProgress("canary", WavePhase.Baking, NOW.minusSeconds(5),
        NOW.plus(Duration.ofMinutes(10)), null), WaveProgress.pending("broad")));
  }

  static RolloutState canaryBaked() {
    return canaryStarted().withWaves(List.of(new WaveProgress("canary", WavePhase.Baking, NOW.minusSeconds(700),
        NOW.minusSeconds(1), null), WaveProgress.pending("broad")));
  }

  static RolloutState rollingBack() {
    return new RolloutState(RolloutPhase.RollingBack, NEW, STABLE, List.of(NEW),
        List.of(new WaveProgress("canary", WavePhase.RolledBack, NOW, null, null), WaveProgress.pending("broad")),
        PASSED, Note.of(Reason.of(Signal.NodesRebooted), "1 node reboots"), null);
  }

  static RolloutState rolledBack() {
    return rollingBack().withPhase(RolloutPhase.RolledBack);
  }

  static RolloutState succeeded() {
    return new RolloutState(RolloutPhase.Succeeded, NEW, NEW, List.of(),
        List.of(new WaveProgress("canary", WavePhase.Completed, NOW, NOW, NOW),
            new WaveProgress("broad", WavePhase.Completed, NOW, NOW, NOW)), PASSED, null, null);
  }

  static FleetNode node(String name, String pool) {
    return new FleetNode(name, Map.of("wavegate.io/pool", pool), true, true, "boot-" + name, Optional.empty(),
        Optional.empty(), 0);
  }

  static FleetNode stable(FleetNode n) {
    return with(n, n.ready(), n.bootId(), assignment(STABLE, n, NOW.minusSeconds(600)),
        Optional.of(new AgentReport(STABLE, AgentReport.APPLIED, null, null, NOW.toString())));
  }

  static FleetNode stableAssignedOnly(FleetNode n) {
    return with(n, n.ready(), n.bootId(), assignment(STABLE, n, NOW.minusSeconds(1)), Optional.empty());
  }

  static FleetNode assigned(FleetNode n) {
    return with(n, n.ready(), n.bootId(), assignment(NEW, n, NOW.minusSeconds(5)), Optional.empty());
  }

  static FleetNode applied(FleetNode n) {
    return with(n, n.ready(), n.bootId(), assignment(NEW, n, NOW.minusSeconds(5)),
        Optional.of(new AgentReport(NEW, AgentReport.APPLIED, null, null, NOW.toString())));
  }

  /** Still assigned the new revision, but back on the stable one: the agent acted on the revocation. */
  static FleetNode revertedByRevocation(FleetNode n) {
    return with(n, n.ready(), n.bootId(), assignment(NEW, n, NOW.minusSeconds(5)),
        Optional.of(new AgentReport(STABLE, AgentReport.APPLIED, null, null, NOW.toString())));
  }

  /** Still assigned the new revision, but holding nothing: the revocation emptied it (no stable revision). */
  static FleetNode emptiedByRevocation(FleetNode n) {
    return with(n, n.ready(), n.bootId(), assignment(NEW, n, NOW.minusSeconds(5)), Optional.empty());
  }

  static FleetNode failed(FleetNode n, String reason) {
    return with(n, n.ready(), n.bootId(), assignment(NEW, n, NOW.minusSeconds(5)),
        Optional.of(new AgentReport(NEW, AgentReport.FAILED, reason, "it failed", NOW.toString())));
  }

  static FleetNode olderPinned(FleetNode n) {
    return with(n, n.ready(), n.bootId(), assignment(OLDER, n, NOW.minusSeconds(6000)),
        Optional.of(new AgentReport(OLDER, AgentReport.APPLIED, null, null, NOW.toString())));
  }

  static FleetNode withLabel(FleetNode n, String key, String value) {
    Map<String, String> labels = new java.util.HashMap<>(n.labels());
    labels.put(key, value);
    return new FleetNode(n.name(), n.uid(), labels, n.inFleet(), n.ready(), n.bootId(), n.assignment(), n.report(),
        n.crashingPods());
  }

  static FleetNode down(FleetNode n) {
    return with(n, false, n.bootId(), n.assignment(), n.report());
  }

  static FleetNode rebooted(FleetNode n) {
    return with(n, n.ready(), "boot-after-panic", n.assignment(), n.report());
  }

  static FleetNode outOfFleet(FleetNode n) {
    return new FleetNode(n.name(), n.uid(), n.labels(), false, n.ready(), n.bootId(), n.assignment(), n.report(), 0);
  }

  private static Optional<Assignment> assignment(String revision, FleetNode n, Instant at) {
    return Optional.of(new Assignment(revision, n.labels().get("wavegate.io/pool"), "ns/snap", n.bootId(), true,
        at.toString()));
  }

  private static FleetNode with(FleetNode n, boolean ready, String bootId, Optional<Assignment> assignment,
      Optional<AgentReport> report) {
    return new FleetNode(n.name(), n.labels(), n.inFleet(), ready, bootId, assignment, report, n.crashingPods());
  }
}
