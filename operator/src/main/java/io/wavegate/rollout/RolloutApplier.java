package io.wavegate.rollout;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.wavegate.analysis.MetricMeasurer;
import io.wavegate.analysis.WebhookCaller;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.RolloutAction;
import io.wavegate.api.RolloutPhase;
import io.wavegate.api.WaveStatus;
import io.wavegate.contract.Digests;
import io.wavegate.contract.Revocation;
import io.wavegate.delivery.NodeWriteException;
import io.wavegate.delivery.NodeWriter;
import io.wavegate.metrics.RolloutMetrics;
import io.wavegate.metrics.SignalClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply step of a reconcile: carries out a {@link RolloutDecision} without deciding again,
 * through {@link RolloutWrites}. What the gate needs first (its snapshot and validator Job), then
 * status, then the channel's revocation, the node writes, the
 * Events, the one-shot annotations, the metric measurements and snapshot pruning; and a failed
 * reconcile's error into status.
 */
final class RolloutApplier {

  private static final Logger LOG = LoggerFactory.getLogger(RolloutApplier.class);

  private final String snapshotNamespace;
  private final RolloutMetrics metrics;
  private final MetricMeasurer measurer;
  private final WebhookCaller webhooks;
  private final Clock clock;
  private final SignalClock signals;

  RolloutApplier(String snapshotNamespace, RolloutMetrics metrics, MetricMeasurer measurer, WebhookCaller webhooks,
      Clock clock,
      SignalClock signals) {
    this.snapshotNamespace = snapshotNamespace;
    this.metrics = metrics;
    this.measurer = measurer;
    this.webhooks = webhooks;
    this.clock = clock;
    this.signals = signals;
  }

  /**
   * Status first: the decision (a wave started, a rollback begun) is recorded before any node acts on
   * it, so a crash in between never leaves a node holding a revision of a wave that status does not
   * show as started. Then the node writes, the Events and the one-shot annotations.
   */
  UpdateControl<ContentRollout> apply(ContentRollout rollout, RolloutState previous, RolloutDecision decision,
      RolloutObserver.Observation observed, RolloutWrites writes, Instant now) {
    String channel = rollout.channel();
    GatePreparation prepare = observed.prepare();
    prepare.snapshot().ifPresent(snapshot -> {
      writes.snapshot(rollout, snapshot);
      prepare.startValidator().ifPresent(validator -> writes.startValidator(rollout, validator, snapshot));
    });
    // an error stays shown until the node writes that may repeat it have passed: no flicker while retrying
    Note pendingError = decision.nodeWrites().isEmpty() || rollout.getStatus() == null
        ? null : StatusMapper.error(rollout.getStatus());
    writeStatus(rollout, StatusMapper.toStatus(decision, rollout.getMetadata().getGeneration(), pendingError,
        rollout.getStatus(), now), writes);
    revoke(rollout, decision.state(), writes);
    Map<String, FleetNode> fleet = observed.fleet().byName();
    NodeWriter.Result written = writes.nodes(channel, ContractV1.moveOnce(decision.nodeWrites(), fleet,
        observed.fleet().unmoved()), name -> fleet.containsKey(name) ? fleet.get(name).uid() : null);
    metrics.nodesUpdated(channel, written.written().size());
    metrics.nodeWriteFailures(channel, written.failures().size());
    decision.events().forEach(e -> {
      writes.event(rollout, e);
      countEvent(channel, e, decision.state(), decision.health().offendingNodes());
    });
    if (decision.clearActions()) {
      clearActions(rollout, writes);
    }
    decision.measure().ifPresent(request -> measurer.start(channel, request));
    webhooks.call(decision.webhookCalls());
    if (decision.state().phase() == RolloutPhase.Succeeded && previous.phase() != RolloutPhase.Succeeded) {
      writes.pruneSnapshots(channel, inUse(decision.state()));
    }
    if (!written.failures().isEmpty()) {
      throw new NodeWriteException(written.failures()); // recorded in status.error; retried with back-off
    }
    if (pendingError != null) {
      ContentRollout latest = writes.latest(rollout);
      writeStatus(latest, StatusMapper.toStatus(decision, rollout.getMetadata().getGeneration(), null,
          latest.getStatus(), now), writes);
    }
    UpdateControl<ContentRollout> control = UpdateControl.noUpdate();
    if (written.deferred() > 0) {
      // the rest of a large wave, after a fresh look at health: a breach never waits behind thousands of writes
      return control.rescheduleAfter(Duration.ZERO);
    }
    return decision.requeueAfter().map(control::rescheduleAfter).orElse(control);
  }

  /**
   * One write that every agent watches: nodes holding a revoked revision go back to the stable one at
   * once, before (and whatever becomes of) the per-node writes that follow. Written only when what it
   * revokes or where it sends nodes changed.
   */
  private void revoke(ContentRollout rollout, RolloutState state, RolloutWrites writes) {
    boolean secret = SpecCheck.problem(rollout.getSpec()).isEmpty() && secretContent(rollout.getSpec());
    Revocation desired = RevocationRule.of(rollout.channel(), state, snapshotNamespace, secret);
    if (!RevocationRule.needsWrite(desired, writes.revocation(rollout.channel()))) {
      return;
    }
    writes.revoke(rollout, desired);
    metrics.revoked(rollout.channel());
    LOG.info("{}: revocation written: revoked {}, stable {}", rollout.channel(),
        desired.revoked().stream().map(Digests::shortRevision).toList(),
        desired.stable().map(s -> Digests.shortRevision(s.revision())).orElse("none"));
  }

  /**
   * Every failed reconcile ends here: the error is recorded in status.error (Stalled=True naming it)
   * and an Event, once per distinct error; the framework then retries with back-off.
   */
  ErrorStatusUpdateControl<ContentRollout> recordError(ContentRollout rollout, RolloutWrites writes, Exception error) {
    Note note = ReconcileErrors.describe(error);
    metrics.reconcileError(rollout.channel(), note.reason().name());
    LOG.warn("{}: reconcile failed ({}): {}", rollout.channel(), note.reason().name(), note.message());
    // the cache holds the status this reconcile may already have written; the resource handed in may be older
    ContentRollout latest = writes.latest(rollout);
    ContentRolloutStatus previous = latest.getStatus();
    boolean sameError = previous != null && previous.getError() != null
        && Objects.equals(previous.getError().getReason(), note.reason().name())
        && Objects.equals(previous.getError().getMessage(), note.message());
    if (!sameError && !(error instanceof NodeWriteException)) {
      writes.event(rollout, RolloutEvents.reconcileError(note));
    }
    try {
      writeStatus(latest, StatusMapper.withError(previous, note, rollout.getMetadata().getGeneration(), clock.instant()),
          writes);
    } catch (RuntimeException e) {
      LOG.warn("{}: could not record the error in status either: {}", rollout.channel(), e.toString());
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /** The rollout's row of the per-rollout gauges, from its status. */
  private static RolloutMetrics.RolloutRow gaugeRow(String rollout, ContentRolloutStatus s) {
    List<WaveStatus> waves = s.getWaves() == null ? List.of() : s.getWaves();
    int nodes = waves.stream().mapToInt(w -> w.getNodes() == null ? 0 : w.getNodes()).sum();
    int updated = waves.stream().mapToInt(w -> w.getUpdated() == null ? 0 : w.getUpdated()).sum();
    int unavailable = waves.stream().mapToInt(w -> w.getUnavailable() == null ? 0 : w.getUnavailable()).sum();
    int failed = s.getHealth() == null || s.getHealth().getContentFailures() == null ? 0
        : s.getHealth().getContentFailures();
    List<RolloutMetrics.Held> held = s.getHolds() == null ? List.of() : s.getHolds().stream()
        .map(h -> new RolloutMetrics.Held(h.getPolicy(), h.getReason(), h.getCount() == null ? 0 : h.getCount())).toList();
    int heldNodes = held.stream().mapToInt(RolloutMetrics.Held::count).sum();
    return new RolloutMetrics.RolloutRow(rollout, s.getPhase().name(), Objects.toString(s.getRevision(), ""),
        Objects.toString(s.getStableRevision(), ""), s.getStall() == null ? null : s.getStall().getReason(), updated,
        Math.max(0, nodes - updated - unavailable - heldNodes), unavailable, failed, held);
  }

  /**
   * The status, written only when it changed. The rollout's gauges follow the status (registered
   * again only when their row changed, so an operator that restarts shows them without writing).
   */
  private void writeStatus(ContentRollout rollout, ContentRolloutStatus status, RolloutWrites writes) {
    if (status.getPhase() != null) {
      metrics.rolloutStatus(gaugeRow(rollout.getMetadata().getName(), status), writes::exists);
    }
    if (!sameStatus(status, rollout.getStatus())) {
      writes.status(rollout, status);
    }
  }

  /**
   * Removes the action annotations this reconcile saw, and only those: one a person added meanwhile
   * (a retry right after a rollback settled) has not been acted on, and stays for the next reconcile.
   */
  private static void clearActions(ContentRollout rollout, RolloutWrites writes) {
    Map<String, String> seen = rollout.getMetadata().getAnnotations() == null ? Map.of()
        : rollout.getMetadata().getAnnotations();
    List<String> removed = Arrays.stream(RolloutAction.values()).map(RolloutAction::annotation)
        .filter(seen::containsKey).toList();
    if (!removed.isEmpty()) {
      writes.removeAnnotations(rollout, removed);
    }
  }

  private void countEvent(String channel, RolloutEvent event, RolloutState state, List<String> offending) {
    metrics.event(channel, event.reason().name());
    switch (event.reason()) {
      case WaveCompleted -> metrics.waveCompleted(channel);
      case Rejected -> metrics.rejected(channel, state.gate() == null ? "Unknown" : state.gate().reason());
      case RollbackStarted -> {
        metrics.rollback(channel, state.stallReason() == null ? "Unknown" : state.stallReason().name());
        signals.sinceLatestChange(offending).ifPresent(metrics::breachToDecision);
      }
      case Halted -> signals.sinceLatestChange(offending).ifPresent(metrics::breachToDecision);
      default -> { }
    }
  }

  private static Set<String> inUse(RolloutState state) {
    Set<String> digests = new HashSet<>();
    digests.add(state.revisionDigest());
    if (state.stableDigest() != null) {
      digests.add(state.stableDigest());
    }
    return digests;
  }

  private static boolean secretContent(ContentRolloutSpec spec) {
    return spec.getContent().getSource().getSecretRef() != null;
  }

  private static boolean sameStatus(ContentRolloutStatus next, ContentRolloutStatus current) {
    return current != null && Serialization.asJson(next).equals(Serialization.asJson(current));
  }
}
