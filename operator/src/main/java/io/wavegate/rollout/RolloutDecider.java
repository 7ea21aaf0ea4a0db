package io.wavegate.rollout;

import io.wavegate.api.RollbackPolicy;
import io.wavegate.api.RolloutPhase;
import io.wavegate.delivery.Assignment;
import io.wavegate.delivery.NodeKeys;
import io.wavegate.delivery.Snapshots;
import io.wavegate.health.Breach;
import io.wavegate.health.HealthEvaluator;
import io.wavegate.health.HealthReport;
import io.wavegate.health.NodeSignals;
import io.wavegate.health.Signal;
import io.wavegate.plan.PlanNode;
import io.wavegate.plan.WavePlan;
import io.wavegate.plan.WavePlanner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The rollout state machine. Pure: it takes the observed cluster state ({@link RolloutInput}) and
 * returns what should be true ({@link RolloutDecision}); the reconciler applies it.
 *
 * <p>One rule decides every node's revision: a fleet node holds the new revision when its wave has
 * started (and the rollout is not being rolled back), the stable revision otherwise, and nothing
 * when there is no stable revision. Pausing, rollback, superseding a revision and late-joining
 * nodes all follow from it.
 */
public final class RolloutDecider {

  static final Duration RETRY_PENDING_GATE = Duration.ofSeconds(10);

  private RolloutDecider() {}

  public static RolloutDecision decide(RolloutInput in) {
    List<RolloutEvent> events = new ArrayList<>();
    RolloutState state = carryOver(in, events);
    state = applyGate(in, state, events);
    WavePlan plan = plan(in, state);
    Map<String, FleetNode> byName = new LinkedHashMap<>();
    in.nodes().forEach(n -> byName.put(n.name(), n));

    HealthReport health = HealthReport.HEALTHY;
    Optional<Instant> wakeAt = Optional.empty();
    if (state.phase() == RolloutPhase.Paused && state.stallReason() == null && !in.paused()) {
      state = state.withPhase(RolloutPhase.Progressing);
      events.add(RolloutEvent.normal("Resumed", "spec.paused is false: the rollout continues"));
    }
    if (inFlight(state)) {
      health = HealthEvaluator.evaluate(signals(in), currentWave(in, state).limits());
      boolean halted = state.stallReason() != null;
      Optional<Breach> breach = in.actions().abort()
          ? Optional.of(new Breach(Signal.Aborted, 1, 0, List.of())) : halted ? Optional.empty() : health.firstBreach();
      if (breach.isEmpty() && !halted) {
        Advance advance = advance(in, state, plan, byName, events);
        state = advance.state();
        wakeAt = advance.wakeAt();
        breach = advance.breach();
      }
      if (breach.isPresent()) {
        state = onBreach(in, state, breach.get(), events);
      }
    }
    if (state.phase() == RolloutPhase.Validating && in.gate().outcome() != GateResult.Outcome.REJECTED) {
      wakeAt = Optional.of(in.now().plus(RETRY_PENDING_GATE));
    }

    Map<String, Optional<Assignment>> writes = new LinkedHashMap<>();
    boolean settled = true;
    for (FleetNode node : in.nodes()) {
      Optional<Assignment> target = target(in, state, plan, node);
      String current = node.assignment().map(Assignment::revision).orElse(null);
      String wanted = target.map(Assignment::revision).orElse(null);
      if (!Objects.equals(current, wanted) && !(wanted == null && node.assignment().isEmpty())) {
        writes.put(node.name(), target);
      }
      settled &= settledOn(node, wanted);
    }
    if (state.phase() == RolloutPhase.RollingBack && writes.isEmpty() && settled) {
      state = state.withPhase(RolloutPhase.RolledBack);
      events.add(RolloutEvent.normal("RolledBack", "every touched node is back on "
          + (state.stableDigest() == null ? "no content (there is no stable revision)" : "stable revision "
          + NodeKeys.shortRevision(state.stableDigest()))));
    }
    Optional<Duration> requeue = wakeAt.map(at -> Duration.between(in.now(), at)).map(d -> d.isNegative() ? Duration.ZERO : d);
    return new RolloutDecision(state, writes, plan, health, counts(in, plan, byName), events, requeue, in.actions().any());
  }

  /** The previous state, adjusted for a new revision, a retry, or a revision that failed before. */
  private static RolloutState carryOver(RolloutInput in, List<RolloutEvent> events) {
    RolloutState state = in.previous();
    List<String> failed = new ArrayList<>(state.failedRevisions());
    boolean retry = in.actions().retry() && failed.remove(in.digest());
    if (retry) {
      events.add(RolloutEvent.normal("Retry", "revision " + NodeKeys.shortRevision(in.digest())
          + " removed from failedRevisions; it will be validated and rolled out again"));
    }
    boolean newRevision = !in.digest().equals(state.revisionDigest());
    boolean specChangedAfterReject = state.phase() == RolloutPhase.Rejected && in.generation() != in.observedGeneration();
    if (newRevision || retry || specChangedAfterReject || state.phase() == null) {
      if (newRevision && state.revisionDigest() != null && inFlight(state)) {
        events.add(RolloutEvent.normal("Superseded", "revision " + NodeKeys.shortRevision(state.revisionDigest())
            + " superseded by " + NodeKeys.shortRevision(in.digest())));
      }
      List<WaveProgress> waves = in.waves().stream().map(w -> WaveProgress.pending(w.name())).toList();
      state = new RolloutState(RolloutPhase.Validating, in.digest(), state.stableDigest(), List.copyOf(failed), waves,
          null, null, null, null);
    } else {
      state = state.withFailedRevisions(List.copyOf(failed)).withWaves(alignWaves(in, state.waves()));
    }
    if (failed.contains(in.digest()) && state.phase() != RolloutPhase.RollingBack && state.phase() != RolloutPhase.RolledBack) {
      state = state.withPhase(RolloutPhase.RolledBack).withStall("FailedBefore", "revision "
          + NodeKeys.shortRevision(in.digest()) + " failed before and is not retried on its own;"
          + " annotate wavegate.io/retry to try it again");
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
        events.add(RolloutEvent.normal("Validated", "revision " + NodeKeys.shortRevision(in.digest())
            + " passed the content gate: " + gate.message()));
        yield state.withGate(gate.reason(), gate.message()).withPhase(RolloutPhase.Progressing);
      }
      case REJECTED -> {
        events.add(RolloutEvent.warning("Rejected", "revision " + NodeKeys.shortRevision(in.digest())
            + " refused by the content gate (" + gate.reason() + "): " + gate.message() + "; no node was touched"));
        yield state.withGate(gate.reason(), gate.message()).withPhase(RolloutPhase.Rejected);
      }
      case PENDING -> state.withGate(gate.reason(), gate.message());
      case NOT_NEEDED -> state;
    };
  }

  private static boolean inFlight(RolloutState state) {
    return state.phase() == RolloutPhase.Progressing || state.phase() == RolloutPhase.Paused;
  }

  private static WavePlan plan(RolloutInput in, RolloutState state) {
    List<PlanNode> fleet = in.nodes().stream().filter(FleetNode::inFleet)
        .map(n -> new PlanNode(n.name(), n.labels(), n.assignment()
            .filter(a -> a.revision().equals(state.revisionDigest())).map(Assignment::wave)))
        .toList();
    return WavePlanner.plan(in.channel(), in.poolLabel(), in.waves().stream().map(WaveDef::rule).toList(), fleet);
  }

  private static WaveDef currentWave(RolloutInput in, RolloutState state) {
    for (int i = 0; i < state.waves().size(); i++) {
      if (state.waves().get(i).phase() != WavePhase.Completed) {
        return in.waves().get(i);
      }
    }
    return in.waves().get(in.waves().size() - 1);
  }

  private static List<NodeSignals> signals(RolloutInput in) {
    return in.nodes().stream()
        .filter(n -> n.assignment().map(a -> a.revision().equals(in.digest())).orElse(false))
        .map(n -> {
          Assignment a = n.assignment().get();
          String failure = n.report().filter(r -> r.failed(in.digest()))
              .map(r -> r.reason() == null ? "Failed" : r.reason()).orElse(null);
          return new NodeSignals(n.name(), a.ready(), n.ready(), a.bootId(), n.bootId(), failure, n.crashingPods());
        })
        .toList();
  }

  private record Advance(RolloutState state, Optional<Instant> wakeAt, Optional<Breach> breach) {}

  /** Moves waves forward: start, applied, baked, completed; and the rollout to Succeeded after the last. */
  private static Advance advance(RolloutInput in, RolloutState state, WavePlan plan, Map<String, FleetNode> byName,
      List<RolloutEvent> events) {
    Instant now = in.now();
    List<WaveProgress> waves = new ArrayList<>(state.waves());
    if (in.paused() && state.phase() == RolloutPhase.Progressing) {
      state = state.withPhase(RolloutPhase.Paused);
      events.add(RolloutEvent.normal("Paused", "spec.paused is true: no further wave starts"));
    }
    for (int i = 0; i < waves.size(); i++) {
      WaveDef def = in.waves().get(i);
      List<String> members = plan.members().get(i);
      WaveProgress wave = waves.get(i);
      if (wave.phase() == WavePhase.Pending) {
        if (in.paused()) {
          return new Advance(state.withWaves(waves), Optional.empty(), Optional.empty());
        }
        wave = wave.start(now);
        events.add(RolloutEvent.normal("WaveStarted", "wave " + def.name() + " started: " + members.size()
            + " node(s) get revision " + NodeKeys.shortRevision(in.digest())));
        if (!members.isEmpty()) {
          waves.set(i, wave);
          return new Advance(state.withWaves(waves), Optional.of(now.plus(def.progressDeadline())), Optional.empty());
        }
      }
      if (wave.phase() == WavePhase.Progressing) {
        List<String> waiting = members.stream().filter(m -> !appliedNew(in, byName.get(m))).toList();
        if (!waiting.isEmpty()) {
          waves.set(i, wave);
          Instant deadline = wave.startedAt().plus(def.progressDeadline());
          if (!now.isBefore(deadline)) {
            return new Advance(state.withWaves(waves), Optional.empty(),
                Optional.of(new Breach(Signal.ProgressDeadlineExceeded, waiting.size(), 0, waiting)));
          }
          return new Advance(state.withWaves(waves), Optional.of(deadline), Optional.empty());
        }
        wave = members.isEmpty() ? wave.bake(now) : wave.bake(now.plus(def.bakeTime()));
        events.add(RolloutEvent.normal("WaveApplied", "wave " + def.name() + ": all " + members.size()
            + " node(s) applied the revision; baking for " + def.bakeTime().toString().substring(2).toLowerCase()));
      }
      if (wave.phase() == WavePhase.Baking) {
        boolean promoted = in.actions().promote() && now.isBefore(wave.bakeUntil());
        if (in.paused() || (!promoted && now.isBefore(wave.bakeUntil()))) {
          waves.set(i, wave);
          return new Advance(state.withWaves(waves), in.paused() ? Optional.empty() : Optional.of(wave.bakeUntil()),
              Optional.empty());
        }
        wave = wave.complete(now);
        events.add(RolloutEvent.normal("WaveCompleted", "wave " + def.name() + " completed"
            + (promoted ? " (bake skipped by wavegate.io/promote)" : "")));
      }
      waves.set(i, wave);
    }
    events.add(RolloutEvent.normal("Succeeded", "revision " + NodeKeys.shortRevision(in.digest())
        + " completed every wave and is now the stable revision"));
    return new Advance(state.withWaves(waves).withPhase(RolloutPhase.Succeeded).withStable(in.digest()),
        Optional.empty(), Optional.empty());
  }

  private static boolean appliedNew(RolloutInput in, FleetNode node) {
    return node.assignment().map(a -> a.revision().equals(in.digest())).orElse(false)
        && node.report().map(r -> r.applied(in.digest())).orElse(false);
  }

  private static RolloutState onBreach(RolloutInput in, RolloutState state, Breach breach, List<RolloutEvent> events) {
    String shortRev = NodeKeys.shortRevision(in.digest());
    if (in.rollback() == RollbackPolicy.Manual && breach.signal() != Signal.Aborted) {
      events.add(RolloutEvent.warning("Halted", "revision " + shortRev + " halted (rollback: Manual): "
          + breach.message()));
      return state.withPhase(RolloutPhase.Paused).withStall(breach.signal().name(), breach.message());
    }
    List<String> failed = new ArrayList<>(state.failedRevisions());
    if (!failed.contains(in.digest())) {
      failed.add(in.digest());
    }
    events.add(RolloutEvent.warning("RollbackStarted", "revision " + shortRev + " rolled back to "
        + (state.stableDigest() == null ? "no content" : NodeKeys.shortRevision(state.stableDigest())) + ": "
        + breach.message()));
    return state.withPhase(RolloutPhase.RollingBack)
        .withStall(breach.signal().name(), breach.message())
        .withFailedRevisions(List.copyOf(failed))
        .withWaves(state.waves().stream().map(WaveProgress::rolledBack).toList());
  }

  /** The one rule: new revision in started waves, stable revision elsewhere, nothing without one. */
  private static Optional<Assignment> target(RolloutInput in, RolloutState state, WavePlan plan, FleetNode node) {
    if (!node.inFleet()) {
      return Optional.empty();
    }
    Optional<Integer> wave = plan.waveOf(node.name());
    if (wave.isEmpty()) {
      return node.assignment();
    }
    boolean rollingOut = state.phase() == RolloutPhase.Progressing || state.phase() == RolloutPhase.Paused
        || state.phase() == RolloutPhase.Succeeded;
    boolean newRevision = rollingOut && state.waves().get(wave.get()).started();
    String revision = newRevision ? in.digest() : state.stableDigest();
    if (revision == null) {
      return Optional.empty();
    }
    if (node.assignment().map(a -> a.revision().equals(revision)).orElse(false)) {
      return node.assignment();
    }
    return Optional.of(new Assignment(revision, in.waves().get(wave.get()).name(),
        Snapshots.reference(in.snapshotNamespace(), in.channel(), revision), node.bootId(), node.ready(),
        in.now().toString()));
  }

  private static boolean settledOn(FleetNode node, String wanted) {
    if (wanted == null) {
      return node.assignment().isEmpty() && node.report().isEmpty();
    }
    return node.report().map(r -> r.applied(wanted)).orElse(false);
  }

  private static RolloutDecision.NodeCounts counts(RolloutInput in, WavePlan plan, Map<String, FleetNode> byName) {
    List<Integer> waveNodes = new ArrayList<>();
    List<Integer> waveUpdated = new ArrayList<>();
    List<Integer> waveReady = new ArrayList<>();
    int updated = 0;
    int fleet = 0;
    for (List<String> members : plan.members()) {
      int u = 0;
      int r = 0;
      for (String member : members) {
        FleetNode node = byName.get(member);
        if (node.report().map(rep -> rep.applied(in.digest())).orElse(false)) {
          u++;
        }
        if (node.ready()) {
          r++;
        }
      }
      waveNodes.add(members.size());
      waveUpdated.add(u);
      waveReady.add(r);
      updated += u;
      fleet += members.size();
    }
    return new RolloutDecision.NodeCounts(fleet, updated, waveNodes, waveUpdated, waveReady);
  }
}
