package io.wavegate.rollout;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.wavegate.analysis.MetricMeasurer;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.RolloutAction;
import io.wavegate.api.RolloutPhase;
import io.wavegate.api.WaveStatus;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.ContentRevocation;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.NodeContents;
import io.wavegate.contract.Revocation;
import io.wavegate.delivery.NodeWriteException;
import io.wavegate.delivery.NodeWriter;
import io.wavegate.delivery.RevocationWriter;
import io.wavegate.delivery.SnapshotStore;
import io.wavegate.delivery.Snapshots;
import io.wavegate.metrics.RolloutMetrics;
import io.wavegate.metrics.SignalClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply step of a reconcile: carries out a {@link RolloutDecision} without deciding again. Status
 * first, then the channel's revocation, the node writes, the Events, the one-shot annotations, the
 * metric measurements and snapshot pruning; and a failed reconcile's error into status.
 */
final class RolloutApplier {

  private static final Logger LOG = LoggerFactory.getLogger(RolloutApplier.class);
  private static final Duration STALE_VIEW_RETRY = Duration.ofMillis(200);

  private final KubernetesClient client;
  private final SnapshotStore snapshots;
  private final NodeWriter nodeWriter;
  private final RevocationWriter revocationWriter;
  private final EventRecorder events;
  private final RolloutMetrics metrics;
  private final MetricMeasurer measurer;
  private final Clock clock;
  private final SignalClock signals;

  RolloutApplier(KubernetesClient client, SnapshotStore snapshots, NodeWriter nodeWriter,
      RevocationWriter revocationWriter, EventRecorder events, RolloutMetrics metrics, MetricMeasurer measurer,
      Clock clock, SignalClock signals) {
    this.client = client;
    this.snapshots = snapshots;
    this.nodeWriter = nodeWriter;
    this.revocationWriter = revocationWriter;
    this.events = events;
    this.metrics = metrics;
    this.measurer = measurer;
    this.clock = clock;
    this.signals = signals;
  }

  /**
   * Status first: the decision (a wave started, a rollback begun) is recorded before any node acts on
   * it, so a crash in between never leaves a node holding a revision of a wave that status does not
   * show as started. Then the node writes, the Events and the one-shot annotations.
   */
  UpdateControl<ContentRollout> apply(ContentRollout rollout, RolloutState previous, RolloutDecision decision,
      Map<String, NodeContent> contents, List<FleetNode> fleet, Set<String> unmoved, Context<ContentRollout> context,
      Instant now) {
    String channel = rollout.channel();
    // an error stays shown until the node writes that may repeat it have passed: no flicker while retrying
    Note pendingError = decision.nodeWrites().isEmpty() || rollout.getStatus() == null
        ? null : StatusMapper.error(rollout.getStatus());
    writeStatus(rollout, StatusMapper.toStatus(decision, rollout.getMetadata().getGeneration(), pendingError,
        rollout.getStatus(), now), context);
    refreshRolloutGauges(context);
    revoke(rollout, decision.state(), context);
    Map<String, String> uids = new HashMap<>();
    fleet.forEach(n -> uids.put(n.name(), n.uid()));
    Map<String, Optional<Assignment>> decided = ContractV1.moveOnce(decision.nodeWrites(), fleet, unmoved);
    Map<String, Optional<Assignment>> needed = notYetWritten(channel, decided, unmoved, context);
    NodeWriter.Result written = nodeWriter.write(channel, needed, uids::get);
    if (!written.written().isEmpty()) {
      // Our own writes are cached at once, so the next reconcile never repeats them.
      InformerEventSource<NodeContent, ContentRollout> contentSource = RolloutEventSources.contents(context);
      written.written().forEach(c -> {
        NodeContent before = contents.get(c.getMetadata().getName());
        if (before == null) {
          contentSource.handleRecentResourceCreate(ResourceID.fromResource(c), c);
        } else {
          contentSource.handleRecentResourceUpdate(ResourceID.fromResource(c), c, before);
        }
      });
    }
    metrics.nodesUpdated(channel, written.written().size());
    metrics.nodeWriteFailures(channel, written.failures().size());
    decision.events().forEach(e -> {
      events.record(rollout, e);
      countEvent(channel, e, decision.state(), decision.health().offendingNodes());
    });
    if (decision.clearActions()) {
      clearActions(rollout);
    }
    decision.measure().ifPresent(request -> measurer.start(channel, request));
    if (decision.state().phase() == RolloutPhase.Succeeded && previous.phase() != RolloutPhase.Succeeded) {
      snapshots.prune(channel, inUse(decision.state()));
    }
    if (!written.failures().isEmpty()) {
      throw new NodeWriteException(written.failures()); // recorded in status.error; retried with back-off
    }
    if (pendingError != null) {
      ContentRollout latest = context.getPrimaryCache().get(ResourceID.fromResource(rollout)).orElse(rollout);
      writeStatus(latest, StatusMapper.toStatus(decision, rollout.getMetadata().getGeneration(), null,
          latest.getStatus(), now), context);
    }
    UpdateControl<ContentRollout> control = UpdateControl.noUpdate();
    if (written.deferred() > 0 || !written.written().isEmpty()) {
      // the rest of a large wave, after a fresh look at health: a breach never waits behind thousands of writes.
      // After the last batch too: our own writes raise no event, and nodes that a revocation already moved
      // report nothing more, so without a look now a settled rollback would wait for the next resync.
      return control.rescheduleAfter(Duration.ZERO);
    }
    if (needed.size() < decision.nodeWrites().size()) {
      // decided on an informer view a moment behind our own latest writes (they raise no event): look again
      // once it caught up, or a rollback that is in fact settled would wait for the next resync
      return control.rescheduleAfter(STALE_VIEW_RETRY);
    }
    return decision.requeueAfter().map(control::rescheduleAfter).orElse(control);
  }

  /**
   * One write that every agent watches: nodes holding a revoked revision go back to the stable one at
   * once, before (and whatever becomes of) the per-node writes that follow. Written only when what it
   * revokes or where it sends nodes changed.
   */
  private void revoke(ContentRollout rollout, RolloutState state, Context<ContentRollout> context) {
    InformerEventSource<ContentRevocation, ContentRollout> source = RolloutEventSources.revocations(context);
    ResourceID id = new ResourceID(rollout.channel());
    Optional<ContentRevocation> cached = source.get(id);
    boolean secret = SpecCheck.problem(rollout.getSpec()).isEmpty() && secretContent(rollout.getSpec());
    Revocation desired = RevocationRule.of(rollout.channel(), state, snapshots.namespace(), secret);
    if (!RevocationRule.needsWrite(desired, cached.flatMap(Revocation::of))) {
      return;
    }
    ContentRevocation written = revocationWriter.write(desired, Snapshots.ownedBy(rollout));
    if (cached.isEmpty()) {
      source.handleRecentResourceCreate(id, written);
    } else {
      source.handleRecentResourceUpdate(id, written, cached.get());
    }
    metrics.revoked(rollout.channel());
    LOG.info("{}: revocation written: revoked {}, stable {}", rollout.channel(),
        desired.revoked().stream().map(io.wavegate.contract.Digests::shortRevision).toList(),
        desired.stable().map(s -> io.wavegate.contract.Digests.shortRevision(s.revision())).orElse("none"));
  }

  /**
   * Every failed reconcile ends here: the error is recorded in status.error (Stalled=True naming it)
   * and an Event, once per distinct error; the framework then retries with back-off.
   */
  ErrorStatusUpdateControl<ContentRollout> recordError(ContentRollout rollout, Context<ContentRollout> context,
      Exception error) {
    Note note = ReconcileErrors.describe(error);
    metrics.reconcileError(rollout.channel(), note.reason().name());
    LOG.warn("{}: reconcile failed ({}): {}", rollout.channel(), note.reason().name(), note.message());
    // the cache holds the status this reconcile may already have written; the resource handed in may be older
    ContentRollout latest = context.getPrimaryCache().get(ResourceID.fromResource(rollout)).orElse(rollout);
    ContentRolloutStatus previous = latest.getStatus();
    boolean sameError = previous != null && previous.getError() != null
        && Objects.equals(previous.getError().getReason(), note.reason().name())
        && Objects.equals(previous.getError().getMessage(), note.message());
    if (!sameError && !(error instanceof NodeWriteException)) {
      events.record(rollout, new RolloutEvent(EventReason.ReconcileError, note.reason().name() + ": " + note.message()));
    }
    try {
      writeStatus(latest, StatusMapper.withError(previous, note, rollout.getMetadata().getGeneration(), clock.instant()),
          context);
    } catch (RuntimeException e) {
      LOG.warn("{}: could not record the error in status either: {}", rollout.channel(), e.toString());
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /** The per-rollout gauges from the statuses cached now (our own write included). */
  private void refreshRolloutGauges(Context<ContentRollout> context) {
    metrics.rollouts(context.getPrimaryCache().list().filter(r -> r.getStatus() != null && r.getStatus().getPhase() != null)
        .map(r -> {
          ContentRolloutStatus s = r.getStatus();
          List<WaveStatus> waves = s.getWaves() == null ? List.of() : s.getWaves();
          int nodes = waves.stream().mapToInt(w -> w.getNodes() == null ? 0 : w.getNodes()).sum();
          int updated = waves.stream().mapToInt(w -> w.getUpdated() == null ? 0 : w.getUpdated()).sum();
          int unavailable = waves.stream().mapToInt(w -> w.getUnavailable() == null ? 0 : w.getUnavailable()).sum();
          int failed = s.getHealth() == null || s.getHealth().getContentFailures() == null ? 0
              : s.getHealth().getContentFailures();
          return new RolloutMetrics.RolloutRow(r.getMetadata().getName(), s.getPhase().name(),
              Objects.toString(s.getRevision(), ""), Objects.toString(s.getStableRevision(), ""),
              s.getStall() == null ? null : s.getStall().getReason(), updated, Math.max(0, nodes - updated - unavailable),
              unavailable, failed);
        }).toList());
  }

  /** Server-side apply of the status, only when it changed, cached so that the next reconcile starts from it. */
  private static void writeStatus(ContentRollout rollout, ContentRolloutStatus status, Context<ContentRollout> context) {
    if (sameStatus(status, rollout.getStatus())) {
      return;
    }
    ContentRollout statusOnly = new ContentRollout();
    statusOnly.setMetadata(new ObjectMetaBuilder().withName(rollout.getMetadata().getName()).build());
    statusOnly.setStatus(status);
    PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(rollout, statusOnly, context);
  }

  /**
   * The decision's writes less those our own latest writes already made: the informer's view can be
   * a moment behind them (their watch events still on the way), the cache of recent writes is not.
   * Keeps each node at one write per revision change without looking every node up on every reconcile.
   */
  private static Map<String, Optional<Assignment>> notYetWritten(String channel,
      Map<String, Optional<Assignment>> writes, Set<String> legacy, Context<ContentRollout> context) {
    InformerEventSource<NodeContent, ContentRollout> contentSource = RolloutEventSources.contents(context);
    Map<String, Optional<Assignment>> needed = new LinkedHashMap<>();
    writes.forEach((node, target) -> {
      Optional<String> latest = NodeContents.assignment(contentSource.get(new ResourceID(node)).orElse(null), channel)
          .map(Assignment::revision);
      if (legacy.contains(node) || !latest.equals(target.map(Assignment::revision))) {
        needed.put(node, target);
      }
    });
    return needed;
  }

  /**
   * Removes the action annotations this reconcile saw, and only those: one a person added meanwhile
   * (a retry right after a rollback settled) has not been acted on, and stays for the next reconcile.
   */
  private void clearActions(ContentRollout rollout) {
    Map<String, String> seen = rollout.getMetadata().getAnnotations() == null ? Map.of()
        : rollout.getMetadata().getAnnotations();
    List<String> removed = java.util.Arrays.stream(RolloutAction.values()).map(RolloutAction::annotation)
        .filter(seen::containsKey).map(key -> "\"" + key + "\":null").toList(); // null removes it (merge patch)
    if (removed.isEmpty()) {
      return;
    }
    client.resources(ContentRollout.class).withName(rollout.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{" + String.join(",", removed)
            + "}}}");
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
