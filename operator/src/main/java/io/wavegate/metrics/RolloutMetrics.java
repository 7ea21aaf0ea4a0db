package io.wavegate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wavegate.api.RolloutPhase;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** wavegate's own metrics, next to JOSDK's reconciler metrics in the same registry. */
public final class RolloutMetrics {

  private final MeterRegistry registry;

  public RolloutMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * wavegate_rollouts{phase}: counted at each scrape from the phases of the rollouts that exist now
   * (the informer cache), so a deleted rollout stops being counted without any bookkeeping.
   */
  public void countPhasesOf(Supplier<Stream<RolloutPhase>> currentPhases) {
    for (RolloutPhase phase : RolloutPhase.values()) {
      Gauge.builder("wavegate_rollouts", currentPhases, phases -> phases.get().filter(phase::equals).count())
          .description("ContentRollouts by phase").tag("phase", phase.name()).strongReference(true).register(registry);
    }
  }

  /** Every Event counts in wavegate_events{rollout,reason}. */
  public void event(String rollout, String reason) {
    Counter.builder("wavegate_events").description("Events recorded on ContentRollouts, by reason")
        .tag("rollout", rollout).tag("reason", reason).register(registry).increment();
  }

  public void waveCompleted(String rollout) {
    Counter.builder("wavegate_waves_completed").tag("rollout", rollout).register(registry).increment();
  }

  /** A rollback, by the health signal (or abort) behind it. */
  public void rollback(String rollout, String signal) {
    Counter.builder("wavegate_rollbacks").tag("rollout", rollout).tag("reason", signal).register(registry).increment();
  }

  /** A revision refused by the content gate, by its reason. */
  public void rejected(String rollout, String reason) {
    Counter.builder("wavegate_rejections").tag("rollout", rollout).tag("reason", reason).register(registry).increment();
  }

  public void reconcileError(String rollout, String reason) {
    Counter.builder("wavegate_reconcile_errors").description("Failed reconciles, by the reason recorded in status.error")
        .tag("rollout", rollout).tag("reason", reason).register(registry).increment();
  }

  public void nodeWriteFailures(String rollout, int count) {
    Counter failures = Counter.builder("wavegate_node_write_failures")
        .description("Node patches that failed (retried with back-off)").tag("rollout", rollout).register(registry);
    if (count > 0) {
      failures.increment(count);
    }
  }

  public void metricMeasured(String rollout, String metric, String outcome) {
    Counter.builder("wavegate_metric_measurements").description("Metric gate measurements, by outcome")
        .tag("rollout", rollout).tag("metric", metric).tag("outcome", outcome).register(registry).increment();
  }

  public void nodesUpdated(String rollout, int count) {
    Counter.builder("wavegate_node_writes").description("Node patches written").tag("rollout", rollout)
        .register(registry).increment(count);
  }

  /** Gathering the fleet from the informer caches and deciding: the planning part of a reconcile, no API calls. */
  public void planned(String rollout, Duration took) {
    Timer.builder("wavegate_planning")
        .description("Gathering the fleet from the caches and deciding, per reconcile (no API calls)")
        .tag("rollout", rollout).publishPercentiles(0.5, 0.99).register(registry).record(took);
  }

  /** From the informer event that carried a breach signal to the rollback (or halt) decision. */
  public void breachToDecision(Duration latency) {
    Timer.builder("wavegate_breach_to_decision")
        .description("From the informer event carrying a breach signal to the rollback decision")
        .publishPercentiles(0.5, 0.99).register(registry).record(latency);
  }
}
