package io.wavegate.rollout;

import io.wavegate.analysis.MetricDef;
import io.wavegate.analysis.MetricGates;
import io.wavegate.analysis.MetricJudge;
import io.wavegate.analysis.MetricReading;
import io.wavegate.analysis.MetricRecord;
import io.wavegate.analysis.MetricRequest;
import io.wavegate.analysis.QueryTemplate;
import io.wavegate.analysis.WebhookAnswer;
import io.wavegate.analysis.WebhookCall;
import io.wavegate.analysis.WebhookDef;
import io.wavegate.api.WebhookType;

import io.wavegate.contract.Digests;
import io.wavegate.contract.SnapshotFormat;

import io.wavegate.api.RollbackPolicy;
import io.wavegate.api.RolloutPhase;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.health.Breach;
import io.wavegate.health.HealthEvaluator;
import io.wavegate.health.HealthReport;
import io.wavegate.health.NodeSignals;
import io.wavegate.health.Signal;
import io.wavegate.plan.PlanNode;
import io.wavegate.plan.WavePlan;
import io.wavegate.plan.WavePlanner;
import io.wavegate.plan.WaveRule;
import io.wavegate.policy.Hold;
import io.wavegate.api.UpdateRing;
import io.wavegate.validation.GateResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The rollout state machine. Pure: it takes the observed cluster state ({@link RolloutInput}) and
 * returns what should be true ({@link RolloutDecision}); the reconciler applies it.
 *
 * <p>One rule decides every node's revision: a fleet node holds the new revision when its wave has
 * started, it is Ready (or already holds it) and the rollout is not being rolled back; the stable
 * revision otherwise; nothing when there is no stable revision. Pausing, rollback, superseding a
 * revision, nodes that are down and late-joining nodes all follow from it.
 */
public final class RolloutDecider {

  static final Duration RETRY_PENDING_GATE = Duration.ofSeconds(10);
  /** A PreWave webhook that said no is asked again this long after its answer. */
  static final Duration ASK_AGAIN = Duration.ofSeconds(15);
  /** Entries kept in status.history, and revisions in failedRevisions. */
  static final int HISTORY = 10;
  static final int FAILED_REVISIONS = 20;

  private RolloutDecider() {}

  /**
   * The revision's state after the gate, then one step for its phase (explicit per-phase dispatch:
   * each phase is handled in one place), then the node writes that state asks for.
   */
  public static RolloutDecision decide(RolloutInput in) {
    List<RolloutEvent> events = new ArrayList<>();
    RolloutState admitted = applyGate(in, carryOver(in, events), events);
    WavePlan plan = plan(in, admitted);
    Map<String, FleetNode> byName = in.fleet().byName();
    List<WebhookCall> calls = new ArrayList<>();
    Step step = switch (admitted.phase()) {
      case Progressing, Paused, Halted -> rolling(in, admitted, plan, byName, events, calls);
      case Validating -> validating(in, admitted);
      case RollingBack, RolledBack, Succeeded, Rejected -> Step.at(admitted);
    };

    Note previousWait = in.previous().waiting();
    if (step.waiting() != null && (previousWait == null || !previousWait.reason().equals(step.waiting().reason()))) {
      events.add(RolloutEvents.waveWaiting(step.waiting()));
    }
    RolloutState state = step.state().withWaiting(step.waiting());
    Map<String, Hold> holds = holds(in, state, plan, byName);
    Set<String> held = heldByPullCap(in, state, plan, byName, holds);
    Map<String, Optional<Assignment>> writes = new LinkedHashMap<>();
    boolean settled = true;
    for (FleetNode node : in.nodes()) {
      Optional<Assignment> target = held.contains(node.name()) ? node.assignment()
          : target(in, state, plan, node, holds);
      String current = node.assignment().map(Assignment::revision).orElse(null);
      String wanted = target.map(Assignment::revision).orElse(null);
      boolean nothingToRemove = wanted == null && node.assignment().isEmpty();
      if (!Objects.equals(current, wanted) && !nothingToRemove) {
        writes.put(node.name(), target);
      }
      // a node that is down cannot report; it was written, and converges when it is back
      settled &= !node.ready() || settledOn(node, wanted);
    }
    // nodes a revocation already moved report nothing more: a rollback they settled is done once its
    // catch-up writes land, and those raise no event, so the decision asks for a look right after them
    boolean doneAfterWrites = state.phase() == RolloutPhase.RollingBack && settled && !writes.isEmpty();
    if (state.phase() == RolloutPhase.RollingBack && writes.isEmpty() && settled) {
      state = state.withPhase(RolloutPhase.RolledBack);
      events.add(RolloutEvents.rolledBack(state.stableDigest()));
    }
    state = recordEnd(in.previous(), state, in.now());
    // a held node takes the revision when its hold lifts: look again then
    Optional<Instant> wakeAt = earliest(step.wakeAt(), holds.values().stream().flatMap(h -> h.until().stream())
        .min(Comparator.naturalOrder()));
    Optional<MetricRequest> measure = Optional.empty();
    // the nodes updated so far, gathered above; a wave that started in this decision is measured in the next
    if (state.phase() == RolloutPhase.Progressing && !step.metricGates().isEmpty() && !step.updated().isEmpty()) {
      MetricGates.Due due = MetricGates.due(step.metricGates(), state.metrics(), in.now());
      if (!due.now().isEmpty()) {
        measure = Optional.of(metricRequest(in, state, due.now(), step.updated()));
      }
      wakeAt = earliest(wakeAt, due.next());
    }
    Optional<Duration> requeue = doneAfterWrites ? Optional.of(Duration.ZERO)
        : wakeAt.map(at -> Duration.between(in.now(), at)).map(d -> d.isNegative() ? Duration.ZERO : d);
    // held from a revision that is no longer on its way: kept where they are, but not shown as held from it
    Map<String, Hold> shown = state.phase().rolling() || state.phase() == RolloutPhase.Succeeded ? holds : Map.of();
    return new RolloutDecision(state, writes, plan, step.health(), counts(in, plan, byName, shown), events, requeue,
        in.actions().any(), measure, shown, calls, in.policies().revokedPins());
  }

  /**
   * The nodes of the plan update policies hold back from the revision of the spec. A held node keeps what
   * it has, whatever the phase: a rollback moves the nodes that took the failed revision, not a node
   * pinned to an older one.
   */
  private static Map<String, Hold> holds(RolloutInput in, RolloutState state, WavePlan plan,
      Map<String, FleetNode> byName) {
    if (in.policies().isEmpty() || state.phase() == RolloutPhase.Validating) {
      return Map.of();
    }
    Map<String, Hold> holds = new LinkedHashMap<>();
    for (List<String> members : plan.members()) {
      for (String name : members) {
        hold(in, state, byName.get(name)).ifPresent(h -> holds.put(name, h));
      }
    }
    return holds;
  }

  /**
   * The hold an update policy puts on a node for the revision in flight. A node that has it already is
   * not held, nor one that holds a failed revision: recovery passes every policy.
   */
  private static Optional<Hold> hold(RolloutInput in, RolloutState state, FleetNode node) {
    if (in.policies().isEmpty() || assignedNew(in, node)
        || node.assignment().map(a -> state.failedRevisions().contains(a.revision())).orElse(false)) {
      return Optional.empty();
    }
    return in.policies().hold(node.name(), node.labels(), in.digest(), state.generallyAvailableAt());
  }

  /**
   * The revision becomes generally available once every wave holding early-access nodes has completed
   * (nodes no policy governs are early access): from wave {@code from} on, there is none left.
   */
  private static boolean noEarlyAccessFrom(RolloutInput in, WavePlan plan, Map<String, FleetNode> byName, int from) {
    return plan.members().subList(from, plan.members().size()).stream().flatMap(List::stream)
        .noneMatch(m -> in.policies().ring(byName.get(m).labels()) == UpdateRing.EarlyAccess);
  }

  /**
   * One phase's step: the state it leads to, the health seen, when to look again, why a wave waits,
   * and (while rolling) the current wave's metric gates and the nodes updated so far.
   */
  private record Step(RolloutState state, HealthReport health, Optional<Instant> wakeAt, Note waiting,
      List<MetricDef> metricGates, List<String> updated) {

    static Step at(RolloutState state) {
      return new Step(state, HealthReport.HEALTHY, Optional.empty(), null, List.of(), List.of());
    }
  }

  /** At the gate: a pending verdict (a source not there yet, a validator Job running) is looked at again soon. */
  private static Step validating(RolloutInput in, RolloutState state) {
    boolean pending = state.gate() != null && state.gate().outcome() == GateResult.Outcome.PENDING;
    return new Step(state, HealthReport.HEALTHY, pending ? Optional.of(in.now().plus(RETRY_PENDING_GATE))
        : Optional.empty(), null, List.of(), List.of());
  }

  /**
   * Rolling (Progressing, Paused, Halted): resume when unpaused, fold the metric readings, answer a
   * promote, judge health and the metric gates; without a breach move the waves forward, with one
   * roll back or halt.
   */
  private static Step rolling(RolloutInput in, RolloutState state, WavePlan plan, Map<String, FleetNode> byName,
      List<RolloutEvent> events, List<WebhookCall> calls) {
    if (state.phase() == RolloutPhase.Paused && !in.paused()) {
      state = state.withPhase(RolloutPhase.Progressing);
      events.add(RolloutEvents.resumed());
    }
    state = state.withWebhooks(foldAnswers(in, state.webhooks(), events));
    List<MetricDef> metricGates = currentWave(in, state).metrics();
    state = state.withMetrics(MetricGates.fold(metricGates, state.metrics(), in.readings(), state.revisionDigest()));
    metricEvents(in, state, events);
    boolean halted = state.phase() == RolloutPhase.Halted;
    boolean promotesBake = in.actions().promote();
    if (halted && in.actions().promote() && Reason.of(Signal.MetricInconclusive).equals(state.stallReason())) {
      state = state.withPhase(RolloutPhase.Progressing).withStall(null)
          .withMetrics(MetricGates.acceptNoData(state.metrics()));
      events.add(RolloutEvents.promotedPastInconclusive(in.digest()));
      promotesBake = false; // the promote answered the halt; it does not also end a bake
      halted = false;
    }
    List<NodeSignals> signals = signals(in);
    HealthReport health = HealthEvaluator.evaluate(signals, currentWave(in, state).limits());
    List<String> updated = signals.stream().map(NodeSignals::node).sorted().toList();
    List<MetricRecord> records = state.metrics();
    Optional<Breach> breach = in.actions().abort()
        ? Optional.of(new Breach(Signal.Aborted, 1, 0, List.of())) : halted ? Optional.empty()
        : health.firstBreach().or(() -> MetricGates.breach(metricGates, records, updated));
    Optional<Instant> wakeAt = Optional.empty();
    Note wait = null;
    Optional<Note> unresolved = unresolvedMetricGates(in, state);
    if (breach.isEmpty() && !halted && unresolved.isPresent()) {
      // the waves wait for the template; the health gates above still roll back what has gone out
      if (!unresolved.get().equals(in.previous().stall())) {
        events.add(RolloutEvents.metricTemplateUnresolved(unresolved.get()));
      }
      state = state.withStall(unresolved.get());
    } else if (breach.isEmpty() && !halted) {
      Advance advance = advance(in, state, plan, byName, promotesBake, events, calls);
      state = advance.state();
      wakeAt = advance.wakeAt();
      breach = advance.breach();
      wait = advance.waiting();
    }
    if (breach.isPresent()) {
      state = onBreach(in, state, breach.get(), events);
      wait = null;
    }
    return new Step(state, health, wakeAt, wait, metricGates, updated);
  }

  /** A revision that just ended (succeeded, rolled back, refused) goes into the bounded history. */
  private static RolloutState recordEnd(RolloutState before, RolloutState state, Instant now) {
    boolean ended = state.phase() != before.phase() && (state.phase() == RolloutPhase.Succeeded
        || state.phase() == RolloutPhase.RolledBack || state.phase() == RolloutPhase.Rejected);
    if (!ended || state.revisionDigest() == null) {
      return state;
    }
    String reason = state.phase() == RolloutPhase.Rejected && state.gate() != null ? state.gate().reason()
        : state.stallReason() == null ? null : state.stallReason().name();
    Instant started = state.waves().stream().map(WaveProgress::startedAt).filter(Objects::nonNull).findFirst().orElse(now);
    return state.withHistory(append(state.history(), new HistoryEntry(state.revisionDigest(), state.phase().name(),
        reason, started, now)));
  }

  static List<HistoryEntry> append(List<HistoryEntry> history, HistoryEntry entry) {
    List<HistoryEntry> longer = new ArrayList<>(history);
    longer.add(entry);
    return List.copyOf(longer.subList(Math.max(0, longer.size() - HISTORY), longer.size()));
  }

  private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isEmpty() || a.get().isBefore(b.get()) ? a : b;
  }

  private static MetricRequest metricRequest(RolloutInput in, RolloutState state, List<MetricDef> due,
      List<String> updated) {
    String wave = currentWave(in, state).name();
    List<String> waveNodes = in.nodes().stream().filter(n -> assignedNew(in, n)
        && n.assignment().map(a -> wave.equals(a.wave())).orElse(false)).map(FleetNode::name).sorted().toList();
    List<String> stable = in.nodes().stream().filter(n -> n.inFleet() && !assignedNew(in, n)).map(FleetNode::name)
        .sorted().toList();
    return new MetricRequest(due, in.digest(),
        new QueryTemplate.Variables(updated, waveNodes, in.channel(), in.digest(), wave), stable);
  }

  /** An Event on each failed, erroneous or inconclusive measurement of the revision in flight. */
  private static void metricEvents(RolloutInput in, RolloutState state, List<RolloutEvent> events) {
    for (MetricReading reading : in.readings()) {
      MetricJudge.Outcome outcome = reading.verdict().outcome();
      if (reading.revision().equals(state.revisionDigest()) && (outcome == MetricJudge.Outcome.Failed
          || outcome == MetricJudge.Outcome.Error || outcome == MetricJudge.Outcome.Inconclusive)) {
        events.add(RolloutEvents.metricMeasured(reading));
      }
    }
  }

  /**
   * A spec that cannot be evaluated (it passed an older, laxer CRD): nothing moves and no node is
   * written; the rollout is stalled with the problem until the spec is fixed.
   */
  public static RolloutDecision cannotEvaluate(RolloutState previous, String digest, String problem) {
    List<RolloutEvent> events = new ArrayList<>();
    Note stall = Note.of(StopReason.InvalidSpec, "the spec cannot be evaluated: " + problem);
    if (previous.stall() == null || !stall.equals(previous.stall())) {
      events.add(RolloutEvents.invalidSpec(stall));
    }
    RolloutState state = previous.phase() == null
        ? new RolloutState(RolloutPhase.Validating, digest, null, List.of(), List.of(), null, null, null) : previous;
    return new RolloutDecision(state.withStall(stall).withWaiting(null), Map.of(), WavePlan.EMPTY, HealthReport.HEALTHY,
        RolloutDecision.NodeCounts.NONE, events, Optional.empty(), false);
  }

  /** The previous state, adjusted for a new revision, a retry, a fixed spec, or a revision that failed before. */
  private static RolloutState carryOver(RolloutInput in, List<RolloutEvent> events) {
    RolloutState state = in.previous();
    if (state.stall() != null && (state.stall().reason() == StopReason.InvalidSpec
        || state.stall().reason() == StopReason.MetricTemplateUnresolved)) {
      state = state.withStall(null); // decided afresh below
    }
    boolean specChanged = in.generation() != in.observedGeneration();
    List<String> failed = new ArrayList<>(state.failedRevisions());
    boolean retry = in.actions().retry() && failed.contains(in.digest());
    if (GateRule.restarts(state, in.digest(), specChanged, in.actions().retry())) {
      if (retry) {
        failed.remove(in.digest());
        events.add(RolloutEvents.retry(in.digest()));
      }
      List<HistoryEntry> history = state.history();
      if (!in.digest().equals(state.revisionDigest()) && state.revisionDigest() != null && state.phase().rolling()) {
        events.add(RolloutEvents.superseded(state.revisionDigest(), in.digest()));
        Instant started = state.waves().stream().map(WaveProgress::startedAt).filter(Objects::nonNull).findFirst()
            .orElse(in.now());
        history = append(history, new HistoryEntry(state.revisionDigest(), "Superseded",
            "superseded by " + Digests.shortRevision(in.digest()), started, in.now()));
      }
      List<WaveProgress> waves = in.waves().stream().map(w -> WaveProgress.pending(w.name())).toList();
      state = new RolloutState(RolloutPhase.Validating, in.digest(), state.stableDigest(), List.copyOf(failed), waves,
          null, null, null, List.of(), history);
    } else {
      state = state.withWaves(alignWaves(in, state.waves()));
    }
    if (failed.contains(in.digest()) && state.phase() != RolloutPhase.RollingBack && state.phase() != RolloutPhase.RolledBack) {
      Note stall = Note.of(StopReason.FailedBefore, "revision " + Digests.shortRevision(in.digest())
          + " failed before and is not retried on its own; annotate wavegate.io/retry to try it again");
      events.add(RolloutEvents.failedBefore(stall));
      state = state.withPhase(RolloutPhase.RolledBack).withStall(stall);
    }
    return state;
  }

  /** Keeps progress of waves that still exist under the same name; waves added to the spec start pending. */
  private static List<WaveProgress> alignWaves(RolloutInput in, List<WaveProgress> previous) {
    return in.waves().stream().map(w -> previous.stream().filter(p -> p.name().equals(w.name())).findFirst()
        .orElse(WaveProgress.pending(w.name()))).toList();
  }

  private static RolloutState applyGate(RolloutInput in, RolloutState state, List<RolloutEvent> events) {
    if (state.phase() != RolloutPhase.Validating) {
      return state;
    }
    GateResult gate = in.gate();
    return switch (gate.outcome()) {
      case PASSED -> {
        events.add(RolloutEvents.validated(in.digest(), gate));
        yield state.withGate(gate).withPhase(RolloutPhase.Progressing);
      }
      case REJECTED -> {
        events.add(RolloutEvents.rejected(in.digest(), gate));
        yield state.withGate(gate).withPhase(RolloutPhase.Rejected);
      }
      case PENDING -> state.withGate(gate);
      case NOT_NEEDED -> state;
    };
  }


  /** The waves' members; the same plan as the decision before while no node's plan inputs changed. */
  private static WavePlan plan(RolloutInput in, RolloutState state) {
    List<WaveRule> rules = in.waves().stream().map(WaveDef::rule).toList();
    return in.fleet().plan(new FleetFacts.PlanKey(state.revisionDigest(), in.poolLabel(), rules), () -> {
      List<PlanNode> fleet = in.nodes().stream().filter(FleetNode::inFleet)
          .map(n -> new PlanNode(n.name(), n.labels(), n.assignment()
              .filter(a -> a.revision().equals(state.revisionDigest())).map(Assignment::wave)))
          .toList();
      return WavePlanner.plan(in.channel(), in.poolLabel(), rules, fleet);
    });
  }

  private static WaveDef currentWave(RolloutInput in, RolloutState state) {
    for (int i = 0; i < state.waves().size(); i++) {
      if (state.waves().get(i).phase() != WavePhase.Completed) {
        return in.waves().get(i);
      }
    }
    return in.waves().get(in.waves().size() - 1);
  }

  /** Why the metric gates of the current wave and those after it cannot all be resolved, if they cannot. */
  private static Optional<Note> unresolvedMetricGates(RolloutInput in, RolloutState state) {
    Set<String> problems = new java.util.LinkedHashSet<>();
    boolean fromCurrent = false;
    for (int i = 0; i < state.waves().size(); i++) {
      fromCurrent |= state.waves().get(i).phase() != WavePhase.Completed;
      if (fromCurrent) {
        problems.addAll(in.waves().get(i).unresolvedMetrics());
      }
    }
    return problems.isEmpty() ? Optional.empty() : Optional.of(Note.of(StopReason.MetricTemplateUnresolved,
        String.join("; ", problems) + "; no wave starts or completes until it resolves"));
  }

  private static List<NodeSignals> signals(RolloutInput in) {
    return in.nodes().stream()
        .filter(n -> assignedNew(in, n))
        .map(n -> {
          Assignment a = n.assignment().get();
          String failure = n.report().filter(r -> r.failed(in.digest()) && !r.nodeFault(in.digest()))
              .map(r -> r.reason() == null ? "Failed" : r.reason()).orElse(null);
          return new NodeSignals(n.name(), a.ready(), n.ready(), a.bootId(), n.bootId(), failure, n.crashingPods());
        })
        .toList();
  }

  private record Advance(RolloutState state, Optional<Instant> wakeAt, Optional<Breach> breach, Note waiting) {

    static Advance waitFor(RolloutState state, Optional<Instant> wakeAt) {
      return new Advance(state, wakeAt, Optional.empty(), null);
    }
  }

  /**
   * One wave's turn in a decision: the wave as it now stands, and whether the rollout stops at it (when
   * to look again, a breach, why it waits) or goes on to the wave's next phase.
   */
  private record WaveTurn(WaveProgress wave, boolean stops, Optional<Instant> wakeAt, Optional<Breach> breach,
      Note waiting) {

    static WaveTurn goOn(WaveProgress wave) {
      return new WaveTurn(wave, false, Optional.empty(), Optional.empty(), null);
    }

    static WaveTurn stopAt(WaveProgress wave, Optional<Instant> wakeAt) {
      return new WaveTurn(wave, true, wakeAt, Optional.empty(), null);
    }

    static WaveTurn waitAt(WaveProgress wave, Note waiting) {
      return new WaveTurn(wave, true, Optional.empty(), Optional.empty(), waiting);
    }
  }

  /**
   * What one decision knows of one wave: its definition, its members that update policies let take the
   * revision, those of them not Ready, and the members policies hold (not assigned, awaited or blamed).
   */
  private record WaveView(WaveDef def, List<String> members, List<String> unavailable, Map<String, Hold> held) {}

  private static Note heldByPolicy(WaveView view) {
    Map<String, List<String>> byHold = new java.util.TreeMap<>();
    view.held().forEach((node, hold) -> byHold.computeIfAbsent(hold.message(), m -> new ArrayList<>()).add(node));
    List<String> why = byHold.entrySet().stream().map(e -> e.getKey() + ": " + Breach.listed(e.getValue())).toList();
    return new Note(WaitReason.HeldByPolicy, "wave " + view.def().name() + " waits: update policies hold all "
        + view.held().size() + " of its node(s) (" + String.join("; ", why) + ")", List.copyOf(view.held().keySet()));
  }

  /**
   * Moves waves forward, each wave phase handled in one place (pending: start; progressing: applied;
   * baking: completed), as far as this decision allows; the rollout is Succeeded after the last wave.
   */
  private static Advance advance(RolloutInput in, RolloutState state, WavePlan plan, Map<String, FleetNode> byName,
      boolean promotesBake, List<RolloutEvent> events, List<WebhookCall> calls) {
    List<WaveProgress> waves = new ArrayList<>(state.waves());
    // promote ends a bake when a wave bakes; only when none does is it an approval too
    boolean approves = in.actions().approve()
        || in.actions().promote() && waves.stream().noneMatch(w -> w.phase() == WavePhase.Baking);
    if (in.paused() && state.phase() == RolloutPhase.Progressing) {
      state = state.withPhase(RolloutPhase.Paused);
      events.add(RolloutEvents.paused());
    }
    for (int i = 0; i < waves.size(); i++) {
      if (state.generallyAvailableAt() == null && noEarlyAccessFrom(in, plan, byName, i)) {
        state = state.withGenerallyAvailableAt(in.now());
      }
      List<String> members = plan.members().get(i);
      Map<String, Hold> held = new LinkedHashMap<>();
      for (String member : members) {
        hold(in, state, byName.get(member)).ifPresent(h -> held.put(member, h));
      }
      List<String> candidates = members.stream().filter(m -> !held.containsKey(m)).toList();
      WaveView view = new WaveView(in.waves().get(i), candidates,
          candidates.stream().filter(m -> unavailable(in, byName.get(m))).toList(), held);
      WaveTurn turn = WaveTurn.goOn(waves.get(i));
      if (members.isEmpty() && turn.wave().phase() != WavePhase.Completed) {
        // a selector that matches nothing (a typo, a pool not labelled yet) proves nothing: never Succeeded
        turn = WaveTurn.waitAt(turn.wave(), new Note(WaitReason.NoMatchingNodes, noMatchingNodes(in, view.def()),
            List.of()));
      } else if (candidates.isEmpty() && (turn.wave().phase() == WavePhase.Pending
          || turn.wave().phase() == WavePhase.Progressing)) {
        if (held.values().stream().allMatch(h -> h.reason().optsOut())) {
          // the node owners opted every node out (paused, pinned): nothing to wait for, nothing to update
          events.add(RolloutEvents.waveSkipped(view.def().name(), held));
          Instant started = turn.wave().startedAt() == null ? in.now() : turn.wave().startedAt();
          turn = WaveTurn.goOn(new WaveProgress(turn.wave().name(), WavePhase.Completed, started, in.now(), in.now()));
        } else {
          // a wave completes over the nodes it may update, never over none: it waits for a hold to lift
          turn = new WaveTurn(turn.wave(), true, held.values().stream().flatMap(h -> h.until().stream())
              .min(Comparator.naturalOrder()), Optional.empty(), heldByPolicy(view));
        }
      }
      if (!turn.stops() && turn.wave().phase() == WavePhase.Pending) {
        turn = pending(in, state, view, turn.wave(), approves, events, calls);
      }
      if (!turn.stops() && turn.wave().phase() == WavePhase.Progressing) {
        turn = progressing(in, view, turn.wave(), byName, events);
      }
      if (!turn.stops() && turn.wave().phase() == WavePhase.Baking) {
        turn = baking(in, state, view, turn.wave(), promotesBake, events, calls);
      }
      waves.set(i, turn.wave());
      if (turn.stops()) {
        return new Advance(state.withWaves(waves), turn.wakeAt(), turn.breach(), turn.waiting());
      }
    }
    if (state.generallyAvailableAt() == null) {
      state = state.withGenerallyAvailableAt(in.now());
    }
    events.add(RolloutEvents.succeeded(in.digest()));
    return Advance.waitFor(state.withWaves(waves).withPhase(RolloutPhase.Succeeded).withStable(in.digest()),
        Optional.empty());
  }

  /**
   * A pending wave starts unless paused, too many of its nodes are down, or it waits for approval
   * (approval: Manual: the approve action, or promote when no wave is baking, starts it); its nodes are
   * then assigned.
   */
  private static WaveTurn pending(RolloutInput in, RolloutState state, WaveView view, WaveProgress wave,
      boolean approved, List<RolloutEvent> events, List<WebhookCall> calls) {
    if (in.paused()) {
      return WaveTurn.stopAt(wave, Optional.empty());
    }
    WaveDef def = view.def();
    List<String> members = view.members();
    List<String> unavailable = view.unavailable();
    int allowed = def.maxUnavailable().pickOf(members.size());
    if (unavailable.size() > allowed || unavailable.size() == members.size()) {
      String message = "wave " + def.name() + " waits: " + unavailable.size() + " of its " + members.size()
          + " node(s) are not Ready, maxUnavailableNodes (" + def.maxUnavailable() + ") allows " + allowed
          + (unavailable.size() == members.size() ? " and a wave needs at least one node" : "") + ": "
          + Breach.listed(unavailable);
      return WaveTurn.waitAt(wave, new Note(WaitReason.UnavailableNodes, message, unavailable));
    }
    Optional<WaveTurn> confirming = webhooks(in, state, view, wave, WebhookType.PreWave, calls);
    if (confirming.isPresent()) {
      return confirming.get();
    }
    // asked only once the wave could start: an approval is one-shot, never kept for later
    if (def.manualApproval() && !approved) {
      return WaveTurn.waitAt(wave, new Note(WaitReason.AwaitingApproval, "wave " + def.name() + " waits for approval"
          + " (approval: Manual): kubectl wavegate approve " + in.channel(), List.of()));
    }
    events.add(RolloutEvents.waveStarted(def.name(), members.size() - unavailable.size(), in.digest(), unavailable));
    return WaveTurn.stopAt(wave.start(in.now()), Optional.of(in.now().plus(def.progressDeadline())));
  }

  /**
   * A progressing wave waits for its nodes to apply the revision (a breach past a node's progress
   * deadline), waits when node-local faults and down nodes pass its budget or none applied, and bakes
   * once every node that can has applied it.
   */
  private static WaveTurn progressing(RolloutInput in, WaveView view, WaveProgress wave, Map<String, FleetNode> byName,
      List<RolloutEvent> events) {
    Instant now = in.now();
    WaveDef def = view.def();
    List<String> members = view.members();
    List<String> unavailable = view.unavailable();
    List<String> faulty = members.stream().filter(m -> nodeFault(in, byName.get(m))).toList();
    List<String> waiting = members.stream().filter(m -> !appliedNew(in, byName.get(m))
        && !unavailable(in, byName.get(m)) && !faulty.contains(m)).toList();
    if (!waiting.isEmpty()) {
      List<String> overdue = waiting.stream()
          .filter(m -> !now.isBefore(deadline(in, byName.get(m), wave.startedAt(), def))).toList();
      if (!overdue.isEmpty()) {
        return new WaveTurn(wave, true, Optional.empty(),
            Optional.of(new Breach(Signal.ProgressDeadlineExceeded, overdue.size(), 0, overdue)), null);
      }
      return WaveTurn.stopAt(wave, waiting.stream().map(m -> deadline(in, byName.get(m), wave.startedAt(), def))
          .min(Comparator.naturalOrder()));
    }
    int allowed = def.maxUnavailable().pickOf(members.size());
    if (!faulty.isEmpty() && faulty.size() + unavailable.size() > allowed) {
      return WaveTurn.waitAt(wave, new Note(WaitReason.NodeFaults, "wave " + def.name() + " waits: " + faulty.size()
          + " node(s) report a node-local fault and " + unavailable.size() + " are not Ready, maxUnavailableNodes ("
          + def.maxUnavailable() + ") allows " + allowed + ": " + faultsAndDown(faulty, unavailable, byName),
          concat(faulty, unavailable)));
    }
    if (members.stream().noneMatch(m -> appliedNew(in, byName.get(m)))) {
      return WaveTurn.waitAt(wave, new Note(faulty.isEmpty() ? WaitReason.UnavailableNodes : WaitReason.NodeFaults,
          "wave " + def.name() + " waits: none of its " + members.size() + " node(s) has applied the revision and an"
              + " empty wave proves nothing: " + faultsAndDown(faulty, unavailable, byName), concat(faulty, unavailable)));
    }
    events.add(RolloutEvents.waveApplied(def.name(), members.size() - unavailable.size(), unavailable.size(),
        def.bakeTime()));
    return WaveTurn.goOn(wave.bake(now.plus(def.bakeTime())));
  }

  /**
   * A baking wave completes when its bake is over (or promoted) and its PostBake webhooks said yes, unless
   * the rollout is paused; a PostBake webhook that says no is a breach.
   */
  private static WaveTurn baking(RolloutInput in, RolloutState state, WaveView view, WaveProgress wave,
      boolean promotesBake, List<RolloutEvent> events, List<WebhookCall> calls) {
    boolean promoted = promotesBake && in.now().isBefore(wave.bakeUntil());
    if (in.paused() || (!promoted && in.now().isBefore(wave.bakeUntil()))) {
      return WaveTurn.stopAt(wave, in.paused() ? Optional.empty() : Optional.of(wave.bakeUntil()));
    }
    Optional<WaveTurn> confirming = webhooks(in, state, view, wave, WebhookType.PostBake, calls);
    if (confirming.isPresent()) {
      return confirming.get();
    }
    events.add(RolloutEvents.waveCompleted(view.def().name(), promoted));
    return WaveTurn.goOn(wave.complete(in.now()));
  }

  /**
   * The wave's webhooks of one type: empty when every one said yes. Otherwise the wave stops there: it asks
   * those not asked yet (and, as a no holds a wave, asks again {@link #ASK_AGAIN} after a no); a PostBake
   * no is a breach with the webhook's message.
   */
  private static Optional<WaveTurn> webhooks(RolloutInput in, RolloutState state, WaveView view, WaveProgress wave,
      WebhookType type, List<WebhookCall> calls) {
    WaveDef def = view.def();
    Optional<Instant> wake = Optional.empty();
    Note waiting = null;
    for (WebhookDef webhook : def.webhooks().stream().filter(w -> w.type() == type).toList()) {
      Optional<WebhookAnswer> last = state.webhooks().stream().filter(a -> a.answers(def.name(), webhook)).findFirst();
      if (last.map(WebhookAnswer::passed).orElse(false)) {
        continue;
      }
      if (last.isPresent() && type == WebhookType.PostBake) {
        return Optional.of(new WaveTurn(wave, true, Optional.empty(), Optional.of(new Breach(Signal.WebhookRejected, 1,
            0, List.of(), "PostBake webhook " + webhook.name() + " of wave " + def.name() + " said no: "
            + last.get().message())), null));
      }
      Instant askAt = last.map(a -> a.at().plus(ASK_AGAIN)).orElse(in.now());
      if (!in.now().isBefore(askAt)) {
        calls.add(new WebhookCall(in.channel(), in.digest(), def.name(), webhook, view.members().size()));
        askAt = in.now().plus(ASK_AGAIN); // an answer lost to a restart is asked for again
      }
      wake = earliest(wake, Optional.of(askAt));
      if (waiting == null) {
        waiting = last.isEmpty() ? new Note(WaitReason.WebhookPending, "wave " + def.name() + " waits for " + type
            + " webhook " + webhook.name(), List.of())
            : new Note(WaitReason.WebhookRejected, "wave " + def.name() + " is held: " + type + " webhook "
                + webhook.name() + " said no (asked again every " + ASK_AGAIN.toSeconds() + " s): "
                + last.get().message(), List.of());
      }
    }
    if (waiting == null) {
      return Optional.empty();
    }
    return Optional.of(new WaveTurn(wave, true, wake, Optional.empty(), waiting));
  }

  /** The webhook answers for the revision in flight, each replacing the last one of its webhook; a no is an Event. */
  private static List<WebhookAnswer> foldAnswers(RolloutInput in, List<WebhookAnswer> kept, List<RolloutEvent> events) {
    List<WebhookAnswer> answers = new ArrayList<>(kept);
    for (WebhookAnswer answer : in.answers()) {
      if (!answer.revision().equals(in.digest())) {
        continue;
      }
      answers.removeIf(a -> a.wave().equals(answer.wave()) && a.name().equals(answer.name())
          && a.type() == answer.type());
      answers.add(answer);
      if (!answer.passed()) {
        events.add(RolloutEvents.webhookRefused(answer));
      }
    }
    return List.copyOf(answers);
  }

  /** A node's own progress deadline: from its wave's start, or from its assignment when it joined later. */
  private static Instant deadline(RolloutInput in, FleetNode node, Instant waveStarted, WaveDef def) {
    Instant from = node.assignment().filter(a -> a.revision().equals(in.digest())).map(Assignment::assignedInstant)
        .filter(at -> at.isAfter(waveStarted)).orElse(waveStarted);
    if (!assignedNew(in, node) && in.now().isAfter(from)) {
      from = in.now(); // its write is still to come (a later batch): the clock starts then
    }
    return from.plus(def.progressDeadline());
  }

  private static boolean assignedNew(RolloutInput in, FleetNode node) {
    return node.assignment().map(a -> a.revision().equals(in.digest())).orElse(false);
  }

  private static boolean appliedNew(RolloutInput in, FleetNode node) {
    return assignedNew(in, node) && node.report().map(r -> r.applied(in.digest())).orElse(false);
  }

  /** The agent could not apply the new revision for a reason of its own node (disk, snapshot fetch). */
  private static boolean nodeFault(RolloutInput in, FleetNode node) {
    return assignedNew(in, node) && node.report().map(r -> r.nodeFault(in.digest())).orElse(false);
  }

  /** Each waiting node by name with why: the agent's reason and message, or that it is not Ready. */
  private static String faultsAndDown(List<String> faulty, List<String> unavailable, Map<String, FleetNode> byName) {
    List<String> named = new ArrayList<>();
    for (String node : faulty) {
      AgentReport report = byName.get(node).report().orElseThrow();
      named.add(node + " (" + (report.reason() == null ? "Failed" : report.reason())
          + (report.message() == null || report.message().isBlank() ? "" : ": " + report.message()) + ")");
    }
    unavailable.forEach(node -> named.add(node + " (not Ready)"));
    return Breach.listed(named);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> both = new ArrayList<>(a);
    both.addAll(b);
    return List.copyOf(both);
  }

  private static String noMatchingNodes(RolloutInput in, WaveDef def) {
    boolean fleetEmpty = in.nodes().stream().noneMatch(FleetNode::inFleet);
    WaveRule rule = def.rule();
    String which = !rule.pools().isEmpty() ? "pools " + rule.pools().stream().sorted().toList() + " (label "
        + in.poolLabel() + ")" : "its nodeSelector";
    return "wave " + def.name() + " waits: " + (fleetEmpty ? "spec.nodeSelector matches no node"
        : "no node of the fleet is left for it in " + which + (rule.maxNodes().count() == Integer.MAX_VALUE
        && rule.maxNodes().percent() == null ? "" : " with maxNodes " + rule.maxNodes()))
        + "; it starts when a node matches, and the rollout is not Succeeded before";
  }

  /** Not Ready and not holding the new revision: skipped, not awaited, never blamed; served when Ready again. */
  private static boolean unavailable(RolloutInput in, FleetNode node) {
    return !node.ready() && !assignedNew(in, node);
  }

  private static RolloutState onBreach(RolloutInput in, RolloutState state, Breach breach, List<RolloutEvent> events) {
    Note stall = new Note(Reason.of(breach.signal()), breach.message(), breach.nodes());
    if (breach.signal() == Signal.MetricInconclusive
        || in.rollback() == RollbackPolicy.Manual && breach.signal() != Signal.Aborted) {
      events.add(RolloutEvents.halted(in.digest(), breach.signal() == Signal.MetricInconclusive, breach));
      return state.withPhase(RolloutPhase.Halted).withStall(stall);
    }
    List<String> failed = new ArrayList<>(state.failedRevisions());
    if (!failed.contains(in.digest())) {
      failed.add(in.digest());
    }
    failed = failed.subList(Math.max(0, failed.size() - FAILED_REVISIONS), failed.size());
    events.add(RolloutEvents.rollbackStarted(in.digest(), state.stableDigest(), breach));
    return state.withPhase(RolloutPhase.RollingBack)
        .withStall(stall)
        .withFailedRevisions(List.copyOf(failed))
        .withWaves(state.waves().stream().map(WaveProgress::rolledBack).toList());
  }

  /**
   * The pull cap: at most {@code maxConcurrentPulls} nodes fetch the new revision at once, so that a
   * broad wave never sends every node to the registry together. Nodes assigned it that have not reported
   * on it yet are pulling; the rest of the started waves' nodes that would get it now wait their turn,
   * in plan order, keeping what they hold. Only new assignments wait: a rollback is never held.
   */
  private static Set<String> heldByPullCap(RolloutInput in, RolloutState state, WavePlan plan,
      Map<String, FleetNode> byName, Map<String, Hold> holds) {
    if (in.maxConcurrentPulls() == RolloutInput.NO_PULL_CAP) {
      return Set.of();
    }
    long pulling = in.nodes().stream().filter(n -> n.inFleet() && assignedNew(in, n)
        && n.report().map(r -> !in.digest().equals(r.revision())).orElse(true)).count();
    long budget = Math.max(0, in.maxConcurrentPulls() - pulling);
    Set<String> held = new HashSet<>();
    for (List<String> members : plan.members()) {
      for (String name : members) {
        FleetNode node = byName.get(name);
        boolean starts = !assignedNew(in, node) && target(in, state, plan, node, holds)
            .map(a -> a.revision().equals(in.digest())).orElse(false);
        if (starts && budget-- <= 0) {
          held.add(name);
        }
      }
    }
    return held;
  }

  /** The one rule: new revision in started waves on nodes that can take it, stable revision elsewhere, nothing without one. */
  private static Optional<Assignment> target(RolloutInput in, RolloutState state, WavePlan plan, FleetNode node,
      Map<String, Hold> holds) {
    if (!node.inFleet()) {
      return Optional.empty();
    }
    Optional<Integer> wave = plan.waveOf(node.name());
    if (wave.isEmpty() || holds.containsKey(node.name())) {
      return node.assignment(); // a held node keeps what it has: it takes no other revision until its hold lifts
    }
    boolean assigning = state.phase() == RolloutPhase.Progressing || state.phase() == RolloutPhase.Paused
        || state.phase() == RolloutPhase.Succeeded;
    boolean keeping = assigning || state.phase() == RolloutPhase.Halted;
    boolean waveStarted = state.waves().get(wave.get()).started();
    boolean newRevision = keeping && waveStarted && assignedNew(in, node) || assigning && waveStarted && node.ready();
    if (assigning && waveStarted && !newRevision) {
      return node.assignment(); // down: left as it is, and given the revision when Ready again
    }
    String revision = newRevision ? in.digest() : state.stableDigest();
    if (revision == null) {
      return Optional.empty();
    }
    if (node.assignment().map(a -> a.revision().equals(revision)).orElse(false)) {
      return node.assignment();
    }
    return Optional.of(new Assignment(revision, in.waves().get(wave.get()).name(),
        SnapshotFormat.reference(in.snapshotNamespace(), in.channel(), revision), node.bootId(), node.ready(),
        in.now().toString(), in.secretContent() ? Assignment.SECRET : null,
        // only a new revision is tentative on the node; a return to the stable one is confirmed at once
        newRevision ? in.confirmAfter() : null));
  }

  /**
   * Whether the node's agent reports what the decision wants it to hold. Only the report counts: the
   * assignment is this decision's own write, and without a stable revision a revocation empties a node
   * before its assignment goes (nothing then raises an event after the removal lands).
   */
  private static boolean settledOn(FleetNode node, String wanted) {
    if (wanted == null) {
      return node.report().isEmpty();
    }
    return node.report().map(r -> r.applied(wanted)).orElse(false);
  }

  private static RolloutDecision.NodeCounts counts(RolloutInput in, WavePlan plan, Map<String, FleetNode> byName,
      Map<String, Hold> holds) {
    List<RolloutDecision.WaveCount> waves = new ArrayList<>();
    for (List<String> members : plan.members()) {
      int updated = 0;
      int ready = 0;
      int unavailable = 0;
      int held = 0;
      for (String member : members) {
        FleetNode node = byName.get(member);
        if (node.report().map(rep -> rep.applied(in.digest())).orElse(false)) {
          updated++;
        }
        if (node.ready()) {
          ready++;
        }
        if (holds.containsKey(member)) {
          held++;
        } else if (unavailable(in, node) || nodeFault(in, node)) {
          unavailable++;
        }
      }
      waves.add(new RolloutDecision.WaveCount(members.size(), updated, ready, unavailable, held));
    }
    return new RolloutDecision.NodeCounts(waves);
  }
}
