package io.wavegate.rollout;

import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.wavegate.analysis.MetricMeasurer;

import io.wavegate.contract.SnapshotFormat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.RolloutAction;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.contract.NodeContent;
import io.wavegate.api.RollbackPolicy;
import io.wavegate.api.RolloutPhase;
import io.wavegate.api.StrategySpec;
import io.wavegate.api.WaveStatus;
import io.wavegate.cache.CachedNode;
import io.wavegate.cache.CachedNodeContent;
import io.wavegate.cache.CachedPod;
import io.wavegate.cache.PruningStore;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.NodeContents;
import io.wavegate.delivery.NodeWriteException;
import io.wavegate.delivery.NodeWriter;
import io.wavegate.delivery.RevocationWriter;
import io.wavegate.delivery.Snapshots;
import io.wavegate.contract.ContentRevocation;
import io.wavegate.contract.Revocation;
import io.wavegate.delivery.SnapshotStore;
import io.wavegate.metrics.RolloutMetrics;
import io.wavegate.metrics.SignalClock;
import io.wavegate.validation.GateResult;
import io.wavegate.validation.GateRunner;
import io.wavegate.validation.ValidatorJobs;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thin reconciler: observe the rollout's world (the gate's verdict, the fleet from informer caches),
 * let {@link RolloutDecider} decide, then apply: node writes, Events, status (only when it changed).
 * A failed reconcile reaches status through {@link #updateErrorStatus}; the framework retries it
 * with exponential back-off, and every rollout is looked at again at least every five minutes even if
 * an event was missed.
 */
// Not generation-aware: the action annotations (promote, abort, retry) change metadata, not the generation.
@ControllerConfiguration(name = "contentrollout", generationAwareEventProcessing = false,
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
@GradualRetry(maxAttempts = -1, initialInterval = 1000, intervalMultiplier = 2, maxInterval = 60_000)
public class ContentRolloutReconciler implements Reconciler<ContentRollout> {

  private static final String NODES = "nodes";
  private static final String NODE_CONTENTS = "nodecontents";
  private static final String REVOCATIONS = "revocations";

  private static final Duration STALE_VIEW_RETRY = Duration.ofMillis(200);


  private static final Logger LOG = LoggerFactory.getLogger(ContentRolloutReconciler.class);

  private final KubernetesClient client;
  private final GateRunner gate;
  private final SnapshotStore snapshots;
  private final ValidatorJobs validatorJobs;
  private final NodeWriter nodeWriter;
  private final RevocationWriter revocationWriter;
  private final EventRecorder events;
  private final RolloutMetrics metrics;
  private final MetricMeasurer measurer;
  private final Clock clock;
  private final SignalClock signals;
  /** Null: every pod of the cluster (WAVEGATE_POD_SELECTOR narrows it). */
  private final String podLabelSelector;

  public ContentRolloutReconciler(KubernetesClient client, GateRunner gate, SnapshotStore snapshots,
      ValidatorJobs validatorJobs, NodeWriter nodeWriter, RevocationWriter revocationWriter, EventRecorder events,
      RolloutMetrics metrics, MetricMeasurer measurer, Clock clock, String podLabelSelector) {
    this.client = client;
    this.gate = gate;
    this.snapshots = snapshots;
    this.validatorJobs = validatorJobs;
    this.nodeWriter = nodeWriter;
    this.revocationWriter = revocationWriter;
    this.events = events;
    this.metrics = metrics;
    this.measurer = measurer;
    this.clock = clock;
    this.signals = new SignalClock(clock);
    this.podLabelSelector = podLabelSelector;
  }

  @Override
  public List<EventSource<?, ContentRollout>> prepareEventSources(EventSourceContext<ContentRollout> context) {
    metrics.countPhasesOf(() -> context.getPrimaryCache().list()
        .map(r -> r.getStatus() == null ? null : r.getStatus().getPhase()));
    // a report removed is a change too, and the new object no longer names the channel: route by the node as well
    AtomicReference<InformerEventSource<Node, ContentRollout>> nodesRef = new AtomicReference<>();
    InformerEventSource<NodeContent, ContentRollout> contents = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(NodeContent.class, ContentRollout.class).withName(NODE_CONTENTS)
            .withItemStore(new PruningStore<>(CachedNodeContent::of))
            // an agent's report is a health signal: time it from here
            .withOnAddFilter(content -> { signals.changed(content.getMetadata().getName()); return true; })
            .withOnUpdateFilter((content, old) -> { signals.changed(content.getMetadata().getName()); return true; })
            .withSecondaryToPrimaryMapper(content -> {
              Node node = nodesRef.get() == null ? null
                  : nodesRef.get().get(new ResourceID(content.getMetadata().getName())).orElse(null);
              return rolloutsConcerned(context, r -> node == null ? ConcernedRollouts.concerns(content, r)
                  : ConcernedRollouts.concerns(node, content, r));
            })
            .build(), context);
    InformerEventSource<Node, ContentRollout> nodes = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Node.class, ContentRollout.class).withName(NODES)
            .withItemStore(new PruningStore<>(CachedNode::of))
            .withOnAddFilter(node -> { signals.changed(node.getMetadata().getName()); return true; })
            .withOnUpdateFilter((node, old) -> { signals.changed(node.getMetadata().getName()); return true; })
            .withOnDeleteFilter((node, unknown) -> { signals.forget(node.getMetadata().getName()); return true; })
            .withSecondaryToPrimaryMapper(node -> {
              NodeContent content = contents.get(new ResourceID(node.getMetadata().getName())).orElse(null);
              return rolloutsConcerned(context, r -> ConcernedRollouts.concerns(node, content, r));
            })
            .build(), context);
    InformerEventSource<Pod, ContentRollout> pods = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Pod.class, ContentRollout.class).withName("pods").withWatchAllNamespaces()
            .withLabelSelector(podLabelSelector)
            .withItemStore(new PruningStore<>(CachedPod::of))
            // the old pod comes from the pruned cache: compare only what the cache keeps
            .withOnUpdateFilter((newPod, oldPod) -> {
              Pod now = CachedPod.of(newPod);
              boolean changed = !Objects.equals(now.getStatus(), CachedPod.of(oldPod).getStatus());
              if (changed && now.getSpec() != null) {
                signals.changed(now.getSpec().getNodeName());
              }
              return changed;
            })
            .withSecondaryToPrimaryMapper(pod -> rolloutsConcerned(context, r -> ConcernedRollouts.concerns(pod, r)))
            .build(), context);
    InformerEventSource<Job, ContentRollout> jobs = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Job.class, ContentRollout.class).withName("validator-jobs")
            .withNamespaces(validatorJobs.namespace()).withLabelSelector(SnapshotFormat.CHANNEL_LABEL)
            .withSecondaryToPrimaryMapper(job -> Set.of(new ResourceID(job.getMetadata().getLabels()
                .get(SnapshotFormat.CHANNEL_LABEL)))).build(), context);
    // the channel's revocation, named after it: a change (or a deletion) by anyone else is undone at once
    InformerEventSource<ContentRevocation, ContentRollout> revocations = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(ContentRevocation.class, ContentRollout.class).withName(REVOCATIONS)
            .withSecondaryToPrimaryMapper(r -> Set.of(new ResourceID(r.getMetadata().getName()))).build(), context);
    nodesRef.set(nodes);
    // a metric gate's reading is ready: look at its rollout now, not at the next requeue
    SimpleInboundEventSource<ContentRollout> readings = new SimpleInboundEventSource<>("metric-readings");
    measurer.onReading(rollout -> readings.propagateEvent(new ResourceID(rollout)));
    return List.of(contents, nodes, pods, jobs, revocations, readings);
  }

  /**
   * The rollouts an event concerns. One rollout whose spec cannot be matched must never blind the
   * others: it is left out here (it is stalled, and looked at again on its own schedule).
   */
  private static Set<ResourceID> rolloutsConcerned(EventSourceContext<ContentRollout> context,
      Predicate<ContentRollout> concerned) {
    return context.getPrimaryCache().list().filter(r -> {
      try {
        return concerned.test(r);
      } catch (RuntimeException e) {
        LOG.warn("{}: cannot tell whether an event concerns it: {}", r.getMetadata().getName(), e.toString());
        return false;
      }
    }).map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  /** What one reconcile observed: the gate's verdict in this reconcile and the fleet. */
  /** @param unmoved nodes whose assignment is still only in contract v1 keys ({@link ContractV1}) */
  private record Observed(GateResult gate, Map<String, NodeContent> contents, List<FleetNode> fleet,
      Set<String> unmoved) {}

  @Override
  public UpdateControl<ContentRollout> reconcile(ContentRollout rollout, Context<ContentRollout> context) {
    Instant now = clock.instant();
    metrics.known(rollout.channel());
    RolloutState previous = StatusMapper.toState(rollout.getStatus());
    Optional<String> problem = SpecCheck.problem(rollout.getSpec());
    if (problem.isPresent()) {
      String digest = rollout.getSpec() == null || rollout.getSpec().getContent() == null
          ? null : rollout.getSpec().getContent().getSha256();
      return apply(rollout, previous, RolloutDecider.cannotEvaluate(previous, digest, problem.get()), Map.of(),
          List.of(), Set.of(), context, now);
    }
    long planningStarted = System.nanoTime();
    Observed observed = observe(rollout, previous, context, now);
    RolloutDecision decision = RolloutDecider.decide(input(rollout, previous, observed, now));
    metrics.planned(rollout.channel(), Duration.ofNanos(System.nanoTime() - planningStarted));
    return apply(rollout, previous, decision, observed.contents(), observed.fleet(), observed.unmoved(), context, now);
  }

  @SuppressWarnings("unchecked")
  private Observed observe(ContentRollout rollout, RolloutState previous, Context<ContentRollout> context, Instant now) {
    ContentRolloutSpec spec = rollout.getSpec();
    String digest = spec.getContent().getSha256();
    GateResult gateResult = GateResult.notNeeded();
    if (GateRule.runs(previous, digest, specChanged(rollout), actions(rollout).retry())) {
      GateRunner.Outcome outcome = gate.run(spec);
      gateResult = outcome.result();
      if (outcome.content().isPresent()) {
        snapshots.create(rollout, digest, outcome.content().get(), SpecCheck.fileName(spec), secretContent(spec));
        if (spec.getValidation() != null && spec.getValidation().getValidatorJob() != null) {
          gateResult = validatorJobs.check(rollout, spec.getValidation().getValidatorJob(), digest, SpecCheck.fileName(spec),
              outcome.content().get(), secretContent(spec), now).withPassedDetail(outcome.result().message());
        }
      }
    }
    List<Node> nodes = ((InformerEventSource<Node, ContentRollout>) context.eventSourceRetriever()
        .getEventSourceFor(Node.class, NODES)).list().toList();
    InformerEventSource<NodeContent, ContentRollout> contentSource = contentSource(context);
    // list() is the informer's view; an object we created a moment ago is not in it yet, get() has it
    Map<String, NodeContent> contents = new HashMap<>();
    contentSource.list().forEach(c -> contents.put(c.getMetadata().getName(), c));
    for (Node node : nodes) {
      if (!contents.containsKey(node.getMetadata().getName())) {
        contentSource.get(new ResourceID(node.getMetadata().getName()))
            .ifPresent(c -> contents.put(c.getMetadata().getName(), c));
      }
    }
    List<Pod> pods = ((InformerEventSource<Pod, ContentRollout>) context.eventSourceRetriever()
        .getEventSourceFor(Pod.class, "pods")).list().toList();
    return new Observed(gateResult, contents, FleetGatherer.gather(rollout.channel(), spec, digest, nodes,
        ContractV1.overlay(rollout.channel(), nodes, contents), pods), ContractV1.unmoved(rollout.channel(), nodes, contents));
  }

  private RolloutInput input(ContentRollout rollout, RolloutState previous, Observed observed, Instant now) {
    ContentRolloutSpec spec = rollout.getSpec();
    StrategySpec strategy = spec.getStrategy();
    return new RolloutInput(rollout.channel(), rollout.getMetadata().getGeneration(), observedGeneration(rollout),
        spec.getContent().getSha256(), snapshots.namespace(), secretContent(spec),
        strategy.getConfirmAfter() == null ? StrategySpec.DEFAULT_CONFIRM_AFTER : strategy.getConfirmAfter(),
        Boolean.TRUE.equals(spec.getPaused()),
        strategy.getRollback() == null ? RollbackPolicy.Automatic : strategy.getRollback(),
        strategy.getPoolLabel() == null ? StrategySpec.DEFAULT_POOL_LABEL : strategy.getPoolLabel(),
        WaveDefs.from(strategy), previous, observed.gate(), observed.fleet(), actions(rollout), now,
        measurer.take(rollout.channel()));
  }

  /**
   * Status first: the decision (a wave started, a rollback begun) is recorded before any node acts on
   * it, so a crash in between never leaves a node holding a revision of a wave that status does not
   * show as started. Then the node writes, the Events and the one-shot annotations.
   */
  @SuppressWarnings("unchecked")
  private UpdateControl<ContentRollout> apply(ContentRollout rollout, RolloutState previous, RolloutDecision decision,
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
      InformerEventSource<NodeContent, ContentRollout> contentSource = contentSource(context);
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
  @SuppressWarnings("unchecked")
  private void revoke(ContentRollout rollout, RolloutState state, Context<ContentRollout> context) {
    InformerEventSource<ContentRevocation, ContentRollout> source = (InformerEventSource<ContentRevocation, ContentRollout>)
        context.eventSourceRetriever().getEventSourceFor(ContentRevocation.class, REVOCATIONS);
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
  @Override
  public ErrorStatusUpdateControl<ContentRollout> updateErrorStatus(ContentRollout rollout,
      Context<ContentRollout> context, Exception error) {
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

  /** Server-side apply of the status, only when it changed, cached so that the next reconcile starts from it. */
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
    InformerEventSource<NodeContent, ContentRollout> contentSource = contentSource(context);
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

  @SuppressWarnings("unchecked")
  private static InformerEventSource<NodeContent, ContentRollout> contentSource(Context<ContentRollout> context) {
    return (InformerEventSource<NodeContent, ContentRollout>) context.eventSourceRetriever()
        .getEventSourceFor(NodeContent.class, NODE_CONTENTS);
  }

  private static boolean specChanged(ContentRollout rollout) {
    return rollout.getMetadata().getGeneration() == null || observedGeneration(rollout) != rollout.getMetadata().getGeneration();
  }

  private static long observedGeneration(ContentRollout rollout) {
    return rollout.getStatus() == null || rollout.getStatus().getObservedGeneration() == null
        ? 0 : rollout.getStatus().getObservedGeneration();
  }

  private static Actions actions(ContentRollout rollout) {
    Map<String, String> annotations = rollout.getMetadata().getAnnotations() == null
        ? Map.of() : rollout.getMetadata().getAnnotations();
    return new Actions(annotations.containsKey(RolloutAction.PROMOTE.annotation()),
        annotations.containsKey(RolloutAction.ABORT.annotation()), annotations.containsKey(RolloutAction.RETRY.annotation()));
  }

  private void clearActions(ContentRollout rollout) {
    String patch = "{\"metadata\":{\"annotations\":{\"" + RolloutAction.PROMOTE.annotation() + "\":null,\""
        + RolloutAction.ABORT.annotation() + "\":null,\"" + RolloutAction.RETRY.annotation() + "\":null}}}";
    client.resources(ContentRollout.class).withName(rollout.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
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
