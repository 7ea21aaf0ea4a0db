package io.wavegate.rollout;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.wavegate.analysis.MetricMeasurer;
import io.wavegate.analysis.WebhookCaller;
import io.wavegate.api.ContentRollout;
import io.wavegate.delivery.NodeWriter;
import io.wavegate.delivery.RevocationWriter;
import io.wavegate.delivery.SnapshotStore;
import io.wavegate.metrics.RolloutMetrics;
import io.wavegate.metrics.SignalClock;
import io.wavegate.validation.GateRunner;
import io.wavegate.validation.ValidatorJobs;
import java.time.Clock;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Thin reconciler, three calls: {@link RolloutObserver} observes the rollout's world (the gate's
 * verdict, the fleet from one {@link FleetView} of the caches of {@link RolloutEventSources} with the
 * operator's own writes overlaid), {@link RolloutDecider} decides,
 * {@link RolloutApplier} applies: status (only when it changed), the revocation, node writes, Events.
 * A failed reconcile reaches status through {@link #updateErrorStatus}; the framework retries it
 * with exponential back-off, and every rollout is looked at again at least every five minutes even if
 * an event was missed.
 */
// Not generation-aware: the action annotations (promote, abort, retry) change metadata, not the generation.
@ControllerConfiguration(name = "contentrollout", generationAwareEventProcessing = false,
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
@GradualRetry(maxAttempts = -1, initialInterval = 1000, intervalMultiplier = 2, maxInterval = 60_000)
public class ContentRolloutReconciler implements Reconciler<ContentRollout> {

  private final RolloutMetrics metrics;
  private final MetricMeasurer measurer;
  private final WebhookCaller webhooks;
  private final SignalClock signals;
  private final Clock clock;
  private final String validatorNamespace;
  /** Null: every pod of the cluster (WAVEGATE_POD_SELECTOR narrows it). */
  private final String podLabelSelector;
  private final RolloutObserver observer;
  private final RolloutApplier applier;
  private final ClusterWrites.Writers writers;
  /** Each rollout's fleet, kept up to date from informer events; rebuilt from the caches after a restart. */
  private final ChannelFleets fleets = new ChannelFleets();

  public ContentRolloutReconciler(KubernetesClient client, GateRunner gate, SnapshotStore snapshots,
      ValidatorJobs validatorJobs, NodeWriter nodeWriter, RevocationWriter revocationWriter, EventRecorder events,
      RolloutMetrics metrics, MetricMeasurer measurer, WebhookCaller webhooks, Clock clock, String podLabelSelector) {
    this.metrics = metrics;
    this.measurer = measurer;
    this.clock = clock;
    this.signals = new SignalClock(clock);
    this.validatorNamespace = validatorJobs.namespace();
    this.podLabelSelector = podLabelSelector;
    this.webhooks = webhooks;
    this.observer = new RolloutObserver(gate, snapshots, validatorJobs, measurer, webhooks);
    this.applier = new RolloutApplier(snapshots.namespace(), metrics, measurer, webhooks, clock, signals);
    this.writers = new ClusterWrites.Writers(client, nodeWriter, revocationWriter, events, snapshots, validatorJobs);
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @Override
  public List<EventSource<?, ContentRollout>> prepareEventSources(EventSourceContext<ContentRollout> context) {
    metrics.countPhasesOf(() -> context.getPrimaryCache().list()
        .map(r -> r.getStatus() == null ? null : r.getStatus().getPhase()));
    return RolloutEventSources.of(context, signals, fleets, podLabelSelector, validatorNamespace, measurer, webhooks);
  }

  /** Observe, decide, apply. A spec that cannot be evaluated is decided on without observing the fleet. */
  @Override
  public UpdateControl<ContentRollout> reconcile(ContentRollout rollout, Context<ContentRollout> context) {
    Instant now = clock.instant();
    metrics.known(rollout.channel());
    RolloutState previous = StatusMapper.toState(rollout.getStatus());
    FleetView view = FleetView.of(context, fleets);
    fleets.retain(context.getPrimaryCache().list().map(r -> r.getMetadata().getName()).collect(Collectors.toSet()));
    RolloutWrites writes = writes(context, view);
    Optional<String> problem = SpecCheck.problem(rollout.getSpec());
    if (problem.isPresent()) {
      String digest = rollout.getSpec() == null || rollout.getSpec().getContent() == null
          ? null : rollout.getSpec().getContent().getSha256();
      return applier.apply(rollout, previous, RolloutDecider.cannotEvaluate(previous, digest, problem.get()),
          RolloutObserver.Observation.NOTHING, writes, now);
    }
    long planningStarted = System.nanoTime();
    long planningCpuStarted = THREADS.getCurrentThreadCpuTime();
    RolloutObserver.Observation observed = observer.observe(rollout, previous, view, now);
    RolloutDecision decision = RolloutDecider.decide(observer.input(rollout, previous, observed, now));
    metrics.planned(rollout.channel(), Duration.ofNanos(System.nanoTime() - planningStarted),
        Duration.ofNanos(THREADS.getCurrentThreadCpuTime() - planningCpuStarted),
        fleets.of(rollout.getMetadata().getName()).derivedLastTime());
    return applier.apply(rollout, previous, decision, observed, writes, now);
  }

  /**
   * Every failed reconcile ends here: the error is recorded in status.error (Stalled=True naming it)
   * and an Event, once per distinct error; the framework then retries with back-off.
   */
  @Override
  public ErrorStatusUpdateControl<ContentRollout> updateErrorStatus(ContentRollout rollout,
      Context<ContentRollout> context, Exception error) {
    return applier.recordError(rollout, writes(context, FleetView.of(context, fleets)), error);
  }

  private RolloutWrites writes(Context<ContentRollout> context, FleetView view) {
    return writers.forReconcile(context, view);
  }
}
