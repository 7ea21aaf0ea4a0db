package io.wavegate.rollout;

import io.fabric8.kubernetes.api.model.LabelSelector;
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
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.RollbackPolicy;
import io.wavegate.api.RolloutPhase;
import io.wavegate.api.StrategySpec;
import io.wavegate.cache.CachedNode;
import io.wavegate.cache.CachedPod;
import io.wavegate.cache.PruningStore;
import io.wavegate.delivery.AgentReport;
import io.wavegate.delivery.Assignment;
import io.wavegate.delivery.NodeKeys;
import io.wavegate.delivery.NodeWriter;
import io.wavegate.delivery.SnapshotStore;
import io.wavegate.delivery.Snapshots;
import io.wavegate.health.CrashDetector;
import io.wavegate.metrics.RolloutMetrics;
import io.wavegate.metrics.SignalClock;
import io.wavegate.plan.LabelSelectors;
import io.wavegate.validation.GateRunner;
import io.wavegate.validation.ValidatorJobs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thin reconciler: gather the rollout's world from informer caches, let {@link RolloutDecider}
 * decide, then write nodes, snapshot, Events and (only when it changed) status.
 */
// Not generation-aware: the action annotations (promote, abort, retry) change metadata, not the generation.
@ControllerConfiguration(name = "contentrollout", generationAwareEventProcessing = false)
public class ContentRolloutReconciler implements Reconciler<ContentRollout> {

  public static final String PROMOTE = "wavegate.io/promote";
  public static final String ABORT = "wavegate.io/abort";
  public static final String RETRY = "wavegate.io/retry";

  private static final Logger LOG = LoggerFactory.getLogger(ContentRolloutReconciler.class);

  private final KubernetesClient client;
  private final GateRunner gate;
  private final SnapshotStore snapshots;
  private final ValidatorJobs validatorJobs;
  private final NodeWriter nodeWriter;
  private final EventRecorder events;
  private final RolloutMetrics metrics;
  private final Clock clock;
  private final SignalClock signals;
  /** Null: every pod of the cluster (WAVEGATE_POD_SELECTOR narrows it). */
  private final String podLabelSelector;

  public ContentRolloutReconciler(KubernetesClient client, GateRunner gate, SnapshotStore snapshots,
      NodeWriter nodeWriter, EventRecorder events, RolloutMetrics metrics, Clock clock, String podLabelSelector) {
    this.client = client;
    this.gate = gate;
    this.snapshots = snapshots;
    this.validatorJobs = new ValidatorJobs(client, snapshots.namespace());
    this.nodeWriter = nodeWriter;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
    this.signals = new SignalClock(clock);
    this.podLabelSelector = podLabelSelector;
  }

  @Override
  public List<EventSource<?, ContentRollout>> prepareEventSources(EventSourceContext<ContentRollout> context) {
    metrics.countPhasesOf(() -> context.getPrimaryCache().list()
        .map(r -> r.getStatus() == null ? null : r.getStatus().getPhase()));
    InformerEventSource<Node, ContentRollout> nodes = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Node.class, ContentRollout.class).withName("nodes")
            .withItemStore(new PruningStore<>(CachedNode::of))
            .withOnAddFilter(node -> { signals.changed(node.getMetadata().getName()); return true; })
            .withOnUpdateFilter((node, old) -> { signals.changed(node.getMetadata().getName()); return true; })
            .withOnDeleteFilter((node, unknown) -> { signals.forget(node.getMetadata().getName()); return true; })
            .withSecondaryToPrimaryMapper(node -> rolloutsConcerned(context, r -> ConcernedRollouts.concerns(node, r)))
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
            .withNamespaces(snapshots.namespace()).withLabelSelector(Snapshots.CHANNEL_LABEL)
            .withSecondaryToPrimaryMapper(job -> Set.of(new ResourceID(job.getMetadata().getLabels()
                .get(Snapshots.CHANNEL_LABEL)))).build(), context);
    return List.of(nodes, pods, jobs);
  }

  private static Set<ResourceID> rolloutsConcerned(EventSourceContext<ContentRollout> context,
      Predicate<ContentRollout> concerned) {
    return context.getPrimaryCache().list().filter(concerned).map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  @Override
  @SuppressWarnings("unchecked")
  public UpdateControl<ContentRollout> reconcile(ContentRollout rollout, Context<ContentRollout> context) {
    ContentRolloutSpec spec = rollout.getSpec();
    String channel = rollout.channel();
    String digest = spec.getContent().getSha256();
    Instant now = clock.instant();
    RolloutState previous = StatusMapper.toState(rollout.getStatus());
    Actions actions = actions(rollout);

    GateResult gateResult = GateResult.notNeeded();
    if (gateNeeded(rollout, previous, actions)) {
      GateRunner.Outcome outcome = gate.run(spec);
      gateResult = outcome.result();
      if (outcome.content().isPresent()) {
        snapshots.create(rollout, digest, outcome.content().get(), fileName(spec));
        if (spec.getValidation() != null && spec.getValidation().getValidatorJob() != null) {
          gateResult = validatorJobs.check(rollout, spec.getValidation().getValidatorJob(), digest, fileName(spec), now)
              .withPassedDetail(outcome.result().message());
        }
      }
    }

    long planningStarted = System.nanoTime();
    InformerEventSource<Node, ContentRollout> nodeSource = (InformerEventSource<Node, ContentRollout>) context
        .eventSourceRetriever().getEventSourceFor(Node.class, "nodes");
    // list() reads the informer alone; get() also sees our latest writes before their watch events arrive
    List<Node> nodes = nodeSource.list().map(n -> nodeSource.get(ResourceID.fromResource(n)).orElse(n)).toList();
    List<Pod> pods = ((InformerEventSource<Pod, ContentRollout>) context.eventSourceRetriever()
        .getEventSourceFor(Pod.class, "pods")).list().toList();
    List<FleetNode> fleet = fleet(channel, spec, digest, nodes, pods);

    long observedGeneration = rollout.getStatus() == null || rollout.getStatus().getObservedGeneration() == null
        ? 0 : rollout.getStatus().getObservedGeneration();
    StrategySpec strategy = spec.getStrategy();
    RolloutInput input = new RolloutInput(channel, rollout.getMetadata().getGeneration(), observedGeneration, digest,
        snapshots.namespace(), Boolean.TRUE.equals(spec.getPaused()),
        strategy.getRollback() == null ? RollbackPolicy.Automatic : strategy.getRollback(),
        strategy.getPoolLabel() == null ? StrategySpec.DEFAULT_POOL_LABEL : strategy.getPoolLabel(),
        WaveDefs.from(strategy), previous, gateResult, fleet, actions, now);
    RolloutDecision decision = RolloutDecider.decide(input);
    metrics.planned(channel, Duration.ofNanos(System.nanoTime() - planningStarted));

    NodeWriter.Result written = nodeWriter.write(channel, decision.nodeWrites());
    // Our own writes are cached at once (see the get() above), so the next reconcile never repeats them.
    Map<String, Node> before = nodes.stream().collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n));
    written.written().forEach(n -> nodeSource.handleRecentResourceUpdate(ResourceID.fromResource(n), n,
        before.get(n.getMetadata().getName())));
    List<String> failedWrites = written.failures();
    if (!failedWrites.isEmpty()) {
      LOG.warn("{}: {} node write(s) failed, retrying: {}", channel, failedWrites.size(), failedWrites);
    }
    metrics.nodesUpdated(channel, written.written().size());
    decision.events().forEach(e -> {
      events.record(rollout, e);
      countEvent(channel, e, decision.state(), decision.health().offendingNodes());
    });
    if (decision.clearActions()) {
      clearActions(rollout);
    }
    if (decision.state().phase() == RolloutPhase.Succeeded && previous.phase() != RolloutPhase.Succeeded) {
      snapshots.prune(channel, inUse(decision.state()));
    }

    ContentRolloutStatus status = StatusMapper.toStatus(decision.state(), decision, rollout.getMetadata().getGeneration(),
        rollout.getStatus(), now);
    if (!sameStatus(status, rollout.getStatus())) {
      // Server-side apply of the status, cached so that the next reconcile starts from it.
      ContentRollout statusOnly = new ContentRollout();
      statusOnly.setMetadata(new ObjectMetaBuilder().withName(rollout.getMetadata().getName()).build());
      statusOnly.setStatus(status);
      PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(rollout, statusOnly, context);
    }
    UpdateControl<ContentRollout> control = UpdateControl.noUpdate();
    if (!failedWrites.isEmpty()) {
      return control.rescheduleAfter(Duration.ofSeconds(2));
    }
    if (written.deferred() > 0) {
      // the rest of a large wave, after a fresh look at health: a breach never waits behind thousands of writes
      return control.rescheduleAfter(Duration.ZERO);
    }
    return decision.requeueAfter().map(control::rescheduleAfter).orElse(control);
  }

  private static boolean gateNeeded(ContentRollout rollout, RolloutState previous, Actions actions) {
    String digest = rollout.getSpec().getContent().getSha256();
    if (previous.failedRevisions().contains(digest) && !actions.retry()) {
      return false;
    }
    boolean generationChanged = rollout.getStatus() == null
        || !Objects.equals(rollout.getStatus().getObservedGeneration(), rollout.getMetadata().getGeneration());
    return !digest.equals(previous.revisionDigest()) || previous.phase() == null
        || previous.phase() == RolloutPhase.Validating || actions.retry()
        || (previous.phase() == RolloutPhase.Rejected && generationChanged);
  }

  private static List<FleetNode> fleet(String channel, ContentRolloutSpec spec, String digest, List<Node> nodes,
      List<Pod> pods) {
    LabelSelector crashSelector = WaveDefs.crashingPodSelector(spec.getStrategy());
    Map<String, List<Pod>> watchedPodsByNode = crashSelector == null ? Map.of() : pods.stream()
        .filter(p -> p.getSpec() != null && p.getSpec().getNodeName() != null)
        .filter(p -> LabelSelectors.matches(crashSelector, LabelSelectors.labelsOf(p)))
        .collect(Collectors.groupingBy(p -> p.getSpec().getNodeName()));
    List<FleetNode> fleet = new ArrayList<>();
    for (Node node : nodes) {
      Map<String, String> labels = LabelSelectors.labelsOf(node);
      boolean inFleet = LabelSelectors.matches(spec.getNodeSelector(), labels);
      Optional<Assignment> assignment = NodeKeys.assignment(node, channel);
      Optional<AgentReport> report = NodeKeys.report(node, channel);
      if (!inFleet && assignment.isEmpty() && report.isEmpty()) {
        continue;
      }
      int crashing = 0;
      if (assignment.isPresent() && assignment.get().revision().equals(digest)) {
        Instant assignedAt = Instant.parse(assignment.get().assignedAt());
        crashing = (int) watchedPodsByNode.getOrDefault(node.getMetadata().getName(), List.of()).stream()
            .filter(p -> CrashDetector.crashedSince(p, assignedAt))
            .count();
      }
      String bootId = node.getStatus() == null || node.getStatus().getNodeInfo() == null
          ? null : node.getStatus().getNodeInfo().getBootID();
      fleet.add(new FleetNode(node.getMetadata().getName(), labels, inFleet, ready(node), bootId, assignment, report,
          crashing));
    }
    return fleet;
  }

  private static boolean ready(Node node) {
    return node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus().getConditions()
        .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static Actions actions(ContentRollout rollout) {
    Map<String, String> annotations = rollout.getMetadata().getAnnotations() == null
        ? Map.of() : rollout.getMetadata().getAnnotations();
    return new Actions(annotations.containsKey(PROMOTE), annotations.containsKey(ABORT), annotations.containsKey(RETRY));
  }

  private void clearActions(ContentRollout rollout) {
    String patch = "{\"metadata\":{\"annotations\":{\"" + PROMOTE + "\":null,\"" + ABORT + "\":null,\"" + RETRY + "\":null}}}";
    client.resources(ContentRollout.class).withName(rollout.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  private void countEvent(String channel, RolloutEvent event, RolloutState state, List<String> offending) {
    switch (event.reason()) {
      case "WaveCompleted" -> metrics.waveCompleted(channel);
      case "Rejected" -> metrics.rejected(channel, state.gateReason());
      case "RollbackStarted" -> {
        metrics.rollback(channel, state.stallReason() == null ? "Unknown" : state.stallReason());
        signals.sinceLatestChange(offending).ifPresent(metrics::breachToDecision);
      }
      case "Halted" -> signals.sinceLatestChange(offending).ifPresent(metrics::breachToDecision);
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

  private static String fileName(ContentRolloutSpec spec) {
    if (spec.getContent().getFileName() != null) {
      return spec.getContent().getFileName();
    }
    return spec.getContent().getSource().getConfigMapRef() != null
        ? spec.getContent().getSource().getConfigMapRef().getKey() : spec.getContent().getSource().getSecretRef().getKey();
  }

  private static boolean sameStatus(ContentRolloutStatus next, ContentRolloutStatus current) {
    return current != null && Serialization.asJson(next).equals(Serialization.asJson(current));
  }
}
