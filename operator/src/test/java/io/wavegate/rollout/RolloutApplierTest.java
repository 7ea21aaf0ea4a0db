package io.wavegate.rollout;

import static io.wavegate.rollout.RolloutDeciderTest.NEW;
import static io.wavegate.rollout.RolloutDeciderTest.NOW;
import static io.wavegate.rollout.RolloutDeciderTest.PASSED;
import static io.wavegate.rollout.RolloutDeciderTest.applied;
import static io.wavegate.rollout.RolloutDeciderTest.canaryStarted;
import static io.wavegate.rollout.RolloutDeciderTest.given;
import static io.wavegate.rollout.RolloutDeciderTest.node;
import static io.wavegate.rollout.RolloutDeciderTest.rollingBack;
import static io.wavegate.rollout.RolloutDeciderTest.stable;
import static io.wavegate.rollout.RolloutDeciderTest.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wavegate.analysis.MetricMeasurer;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.ContentSource;
import io.wavegate.api.ContentSpec;
import io.wavegate.api.KeyRef;
import io.wavegate.api.RolloutAction;
import io.wavegate.api.ValidationSpec;
import io.wavegate.api.ValidatorJobSpec;
import io.wavegate.contract.Assignment;
import io.wavegate.delivery.CheckedContent;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.Revocation;
import io.wavegate.delivery.NodeWriteException;
import io.wavegate.delivery.NodeWriter;
import io.wavegate.metrics.RolloutMetrics;
import io.wavegate.metrics.SignalClock;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The applier against a recording {@link RolloutWrites}: which writes a decision turns into, in which
 * order, and which it leaves out (the decisions come from the decider, on RolloutDeciderTest's fixtures).
 */
class RolloutApplierTest {

  final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  final RolloutApplier applier = new RolloutApplier("wavegate-snapshots",
      new RolloutMetrics(new SimpleMeterRegistry(), List.of(), List.of()),
      new MetricMeasurer(null, (rollout, metric, outcome) -> { }, clock, 1),
      new io.wavegate.analysis.WebhookCaller(null, clock, 1), clock, new SignalClock(clock));
  final Recording writes = new Recording();
  static final byte[] BYTES = "rules".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  @Test
  void anAbortIsWrittenStatusFirstThenTheRevocationThenTheNodesThenItsEventsAndTheAnnotationGoes() {
    ContentRollout rollout = rollout(RolloutAction.ABORT.annotation());
    RolloutDecision decision = RolloutDecider.decide(given().state(canaryStarted())
        .actions(new Actions(false, true, false)).nodes(applied(node("c1", "canary"))).input());

    UpdateControl<ContentRollout> control = apply(rollout, canaryStarted(), decision);

    assertThat(writes.log).containsExactly("status RollingBack", "revoke " + NEW.substring(0, 12), "nodes [c1]",
        "event RollbackStarted", "remove [" + RolloutAction.ABORT.annotation() + "]");
    assertThat(control.getScheduleDelay()).as("the nodes' reports bring the next look, not our own writes")
        .isEqualTo(decision.requeueAfter().map(Duration::toMillis));
  }

  @Test
  void aWaveLargerThanOneBatchIsWrittenOverSeveralReconcilesEachAfterAFreshLook() {
    writes.batch = 1;
    RolloutDecision decision = RolloutDecider.decide(given().state(rollingBack())
        .nodes(applied(node("c1", "canary")), applied(node("c2", "canary"))).input());

    UpdateControl<ContentRollout> control = apply(rollout(), rollingBack(), decision);

    assertThat(writes.log).contains("nodes [c1]");
    assertThat(control.getScheduleDelay()).as("the rest of the wave, at once").contains(0L);
  }

  @Test
  void theGatesSnapshotAndValidatorJobAreWrittenBeforeTheDecisionThatNeedsThem() {
    ContentRollout rollout = rollout();
    ValidatorJobSpec validator = new ValidatorJobSpec();
    rollout.getSpec().setValidation(new ValidationSpec());
    rollout.getSpec().getValidation().setValidatorJob(validator);
    RolloutDecision decision = RolloutDecider.decide(given().gate(PASSED).nodes(node("c1", "canary")).input());

    apply(rollout, RolloutState.INITIAL, decision, GatePreparation.of(rollout.getSpec(), Optional.of(new CheckedContent.Bytes(BYTES)), false));

    assertThat(writes.log).startsWith("snapshot " + NEW.substring(0, 12) + " rules.bin", "validator",
        "status Progressing", "nodes [c1]");
  }

  @Test
  void aValidatorJobAlreadyStartedIsNotStartedAgain() {
    ContentRollout rollout = rollout();
    rollout.getSpec().setValidation(new ValidationSpec());
    rollout.getSpec().getValidation().setValidatorJob(new ValidatorJobSpec());

    assertThat(GatePreparation.of(rollout.getSpec(), Optional.of(new CheckedContent.Bytes(BYTES)), true).startValidator()).isEmpty();
    assertThat(GatePreparation.of(rollout.getSpec(), Optional.empty(), false)).isEqualTo(GatePreparation.NONE);
  }

  @Test
  void aDecisionAlreadyInEffectWritesNothing() {
    RolloutState settled = RolloutDecider.decide(given().state(rollingBack())
        .nodes(stable(node("c1", "canary"))).input()).state();
    RolloutDecision decision = RolloutDecider.decide(given().state(settled).nodes(stable(node("c1", "canary"))).input());
    ContentRollout rollout = rollout();
    rollout.setStatus(StatusMapper.toStatus(decision, 1L, null, null, NOW));
    writes.revocation = Optional.of(RevocationRule.of("sensor", decision.state(), "wavegate-snapshots", false));

    apply(rollout, decision.state(), decision);

    assertThat(writes.log).isEmpty();
  }

  @Test
  void failedNodeWritesAreThrownAfterEverythingElseIsApplied() {
    writes.failing = true;
    RolloutDecision decision = RolloutDecider.decide(given().state(canaryStarted())
        .actions(new Actions(false, true, false)).nodes(applied(node("c1", "canary"))).input());

    assertThatThrownBy(() -> apply(rollout(), canaryStarted(), decision)).isInstanceOf(NodeWriteException.class)
        .hasMessageContaining("c1");
    assertThat(writes.log).contains("event RollbackStarted");
  }

  @Test
  void theFirstSucceededPrunesSnapshotsButKeepsTheStableAndCurrentRevisions() {
    RolloutDecision decision = RolloutDecider.decide(given().state(succeeded())
        .nodes(applied(node("c1", "canary")), applied(node("b1", "broad"))).input());

    apply(rollout(), canaryStarted(), decision);
    apply(rollout(), succeeded(), decision);

    assertThat(writes.log).containsOnlyOnce("prune [" + NEW + "]");
  }

  @Test
  void anErrorIsRecordedInStatusWithOneEventPerDistinctError() {
    ContentRollout rollout = rollout();
    IllegalStateException error = new IllegalStateException("the API server is away");

    applier.recordError(rollout, writes, error);
    rollout.setStatus(writes.lastStatus);
    applier.recordError(rollout, writes, error);

    assertThat(writes.log).filteredOn(line -> line.startsWith("event")).containsExactly("event ReconcileError");
    assertThat(writes.lastStatus.getError().getMessage()).contains("the API server is away");
  }

  private UpdateControl<ContentRollout> apply(ContentRollout rollout, RolloutState previous, RolloutDecision decision) {
    return apply(rollout, previous, decision, GatePreparation.NONE);
  }

  private UpdateControl<ContentRollout> apply(ContentRollout rollout, RolloutState previous, RolloutDecision decision,
      GatePreparation prepare) {
    RolloutObserver.Observation observed = new RolloutObserver.Observation(PASSED, prepare,
        FleetFacts.of(List.of(node("c1", "canary"))), List.of(), java.util.Map.of());
    return applier.apply(rollout, previous, decision, observed, writes, NOW);
  }

  private static ContentRollout rollout(String... annotations) {
    ContentRollout rollout = new ContentRollout();
    ObjectMetaBuilder meta = new ObjectMetaBuilder().withName("sensor").withGeneration(1L);
    for (String annotation : annotations) {
      meta.addToAnnotations(annotation, "true");
    }
    rollout.setMetadata(meta.build());
    ContentSpec content = new ContentSpec();
    content.setSha256(NEW);
    ContentSource source = new ContentSource();
    source.setConfigMapRef(new KeyRef("wavegate-system", "sensor-v1", "rules.bin"));
    content.setSource(source);
    ContentRolloutSpec spec = new ContentRolloutSpec();
    spec.setContent(content);
    rollout.setSpec(spec);
    return rollout;
  }

  /** Records each write as a line: what, and of what. */
  static final class Recording implements RolloutWrites {
    final List<String> log = new ArrayList<>();
    Optional<Revocation> revocation = Optional.empty();
    boolean failing;
    int batch = Integer.MAX_VALUE;
    ContentRolloutStatus lastStatus;

    @Override
    public ContentRollout latest(ContentRollout rollout) {
      return rollout;
    }

    @Override
    public boolean exists(String rollout) {
      return true;
    }

    @Override
    public void status(ContentRollout rollout, ContentRolloutStatus status) {
      log.add("status " + status.getPhase());
      lastStatus = status;
    }

    @Override
    public void snapshot(ContentRollout rollout, GatePreparation.Snapshot snapshot) {
      log.add("snapshot " + snapshot.digest().substring(0, 12) + " " + snapshot.fileName());
    }

    @Override
    public void startValidator(ContentRollout rollout, ValidatorJobSpec validator, GatePreparation.Snapshot checked) {
      log.add("validator");
    }

    @Override
    public Optional<Revocation> revocation(String channel) {
      return revocation;
    }

    @Override
    public void revoke(ContentRollout rollout, Revocation written) {
      log.add("revoke " + String.join(",", written.revoked().stream().map(r -> r.substring(0, 12)).toList()));
      revocation = Optional.of(written);
    }

    @Override
    public NodeWriter.Result nodes(String channel, Map<String, Optional<Assignment>> nodeWrites,
        Function<String, String> nodeUid) {
      if (nodeWrites.isEmpty()) {
        return new NodeWriter.Result(List.of(), List.of(), 0);
      }
      List<String> now = nodeWrites.keySet().stream().sorted().limit(batch).toList();
      log.add("nodes " + now);
      if (failing) {
        return new NodeWriter.Result(List.of(), nodeWrites.keySet().stream()
            .map(node -> new NodeWriter.Failure(node, "refused")).toList(), 0);
      }
      return new NodeWriter.Result(now.stream().map(node -> {
        NodeContent content = new NodeContent();
        content.setMetadata(new ObjectMetaBuilder().withName(node).build());
        return content;
      }).toList(), List.of(), nodeWrites.size() - now.size());
    }

    @Override
    public void event(ContentRollout rollout, RolloutEvent event) {
      log.add("event " + event.reason());
    }

    @Override
    public void removeAnnotations(ContentRollout rollout, List<String> annotations) {
      log.add("remove " + annotations);
    }

    @Override
    public void pruneSnapshots(String channel, Set<String> inUse) {
      log.add("prune " + inUse.stream().sorted().toList());
    }
  }
}
