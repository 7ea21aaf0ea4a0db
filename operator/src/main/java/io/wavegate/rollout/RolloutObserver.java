package io.wavegate.rollout;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.wavegate.analysis.MetricMeasurer;
import io.wavegate.analysis.WebhookCaller;
import io.wavegate.api.ContentMetricTemplate;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.RollbackPolicy;
import io.wavegate.api.RolloutAction;
import io.wavegate.api.StrategySpec;
import io.wavegate.api.ValidatorJobSpec;
import io.wavegate.delivery.SnapshotStore;
import io.wavegate.api.ContentUpdatePolicy;
import io.wavegate.policy.UpdatePolicies;
import io.wavegate.validation.GateResult;
import io.wavegate.validation.GateRunner;
import io.wavegate.validation.ValidatorJobs;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The observe step of a reconcile, which only reads: the gate's verdict (running the gate when the
 * revision or spec is new; its validator Job's state), what the gate needs written
 * ({@link GatePreparation}: the snapshot, the validator Job, written by the applier) and the fleet
 * from the one {@link FleetView}, as one {@link Observation}; and the decider's input built from it.
 */
final class RolloutObserver {

  private final GateRunner gate;
  private final SnapshotStore snapshots;
  private final ValidatorJobs validatorJobs;
  private final MetricMeasurer measurer;
  private final WebhookCaller webhooks;

  RolloutObserver(GateRunner gate, SnapshotStore snapshots, ValidatorJobs validatorJobs, MetricMeasurer measurer,
      WebhookCaller webhooks) {
    this.webhooks = webhooks;
    this.gate = gate;
    this.snapshots = snapshots;
    this.validatorJobs = validatorJobs;
    this.measurer = measurer;
  }

  /**
   * What one reconcile observed: the gate's verdict in this reconcile, the fleet, the update policies and
   * the metric templates.
   */
  record Observation(GateResult gate, GatePreparation prepare, FleetFacts fleet, List<ContentUpdatePolicy> policies,
      Map<String, ContentMetricTemplate> templates) {

    /** A rollout whose spec cannot be evaluated: nothing observed. */
    static final Observation NOTHING = new Observation(GateResult.notNeeded(), GatePreparation.NONE,
        FleetFacts.of(List.of()), List.of(), Map.of());
  }

  Observation observe(ContentRollout rollout, RolloutState previous, FleetView view, Instant now) {
    ContentRolloutSpec spec = rollout.getSpec();
    String digest = spec.getContent().getSha256();
    GateResult gateResult = GateResult.notNeeded();
    GatePreparation prepare = GatePreparation.NONE;
    if (GateRule.runs(previous, digest, specChanged(rollout), actions(rollout).retry())) {
      GateRunner.Outcome outcome = gate.run(spec);
      gateResult = outcome.result();
      ValidatorJobSpec validator = spec.getValidation() == null ? null : spec.getValidation().getValidatorJob();
      boolean validates = outcome.content().isPresent() && validator != null;
      Job job = validates ? validatorJobs.job(rollout.channel(), digest) : null;
      if (validates) {
        gateResult = validatorJobs.verdict(rollout.channel(), digest, job, validator, now)
            .withPassedDetail(outcome.result().message());
      }
      prepare = GatePreparation.of(spec, outcome.content(), job != null);
    }
    FleetFacts fleet = view.fleet(rollout.getMetadata().getName(), FleetGatherer.Basis.of(rollout.channel(), spec), now);
    return new Observation(gateResult, prepare, fleet, view.policies(), view.templates());
  }

  RolloutInput input(ContentRollout rollout, RolloutState previous, Observation observed, Instant now) {
    ContentRolloutSpec spec = rollout.getSpec();
    StrategySpec strategy = spec.getStrategy();
    return new RolloutInput(rollout.channel(), rollout.getMetadata().getGeneration(), observedGeneration(rollout),
        spec.getContent().getSha256(), snapshots.namespace(), secretContent(spec),
        strategy.getConfirmAfter() == null ? StrategySpec.DEFAULT_CONFIRM_AFTER : strategy.getConfirmAfter(),
        Boolean.TRUE.equals(spec.getPaused()),
        strategy.getRollback() == null ? RollbackPolicy.Automatic : strategy.getRollback(),
        strategy.poolLabelOrDefault(), WaveDefs.from(strategy, observed.templates()), previous, observed.gate(), observed.fleet(),
        actions(rollout), now, measurer.take(rollout.channel()), pullCap(spec),
        UpdatePolicies.forRollout(rollout, observed.policies(), Set.copyOf(previous.failedRevisions()), now),
        webhooks.take(rollout.channel()));
  }

  private static int pullCap(ContentRolloutSpec spec) {
    if (spec.getStrategy().getMaxConcurrentPulls() != null) {
      return spec.getStrategy().getMaxConcurrentPulls();
    }
    return spec.getContent().getSource().getOci() != null ? StrategySpec.DEFAULT_OCI_PULLS : RolloutInput.NO_PULL_CAP;
  }

  private static boolean specChanged(ContentRollout rollout) {
    return rollout.getMetadata().getGeneration() == null || observedGeneration(rollout) != rollout.getMetadata().getGeneration();
  }

  private static long observedGeneration(ContentRollout rollout) {
    return rollout.getStatus() == null || rollout.getStatus().getObservedGeneration() == null
        ? 0 : rollout.getStatus().getObservedGeneration();
  }

  static Actions actions(ContentRollout rollout) {
    Map<String, String> annotations = rollout.getMetadata().getAnnotations() == null
        ? Map.of() : rollout.getMetadata().getAnnotations();
    return new Actions(annotations.containsKey(RolloutAction.PROMOTE.annotation()),
        annotations.containsKey(RolloutAction.ABORT.annotation()), annotations.containsKey(RolloutAction.RETRY.annotation()),
        annotations.containsKey(RolloutAction.APPROVE.annotation()));
  }

  private static boolean secretContent(ContentRolloutSpec spec) {
    return spec.getContent().getSource().getSecretRef() != null;
  }
}
