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
  private final java.util.List<String> rollbackReasons;
  private final java.util.List<String> rejectionReasons;

  /**
   * @param rollbackReasons every reason a rollback can have (the health signals), so that each counter exists at zero
   * @param rejectionReasons every reason the content gate can refuse with, likewise
   */
  public RolloutMetrics(MeterRegistry registry, java.util.List<String> rollbackReasons,
      java.util.List<String> rejectionReasons) {
    this.registry = registry;
    this.rollbackReasons = java.util.List.copyOf(rollbackReasons);
    this.rejectionReasons = java.util.List.copyOf(rejectionReasons);
    this.info = io.micrometer.core.instrument.MultiGauge.builder("wavegate_rollout_status")
        .description("Each ContentRollout, always 1, with its phase and revisions as labels").register(registry);
    this.stalled = io.micrometer.core.instrument.MultiGauge.builder("wavegate_rollout_stalled")
        .description("1 for each rollout that stopped (status.stall), with the reason").register(registry);
    this.nodes = io.micrometer.core.instrument.MultiGauge.builder("wavegate_rollout_nodes")
        .description("Nodes of each rollout by state: updated, pending, unavailable, failed, held").register(registry);
    this.held = io.micrometer.core.instrument.MultiGauge.builder("wavegate_held_nodes")
        .description("Nodes update policies hold back from each rollout's revision, by policy and reason (status.holds)")
        .register(registry);
    breachTimer(); // its histogram exists before the first breach: alerts and dashboards find it
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

  private final java.util.Set<String> known = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final io.micrometer.core.instrument.MultiGauge info;
  private final io.micrometer.core.instrument.MultiGauge stalled;
  private final io.micrometer.core.instrument.MultiGauge nodes;
  private final io.micrometer.core.instrument.MultiGauge held;

  /**
   * A rollout's counters exist at zero from its first reconcile, so that increase() and rate() see
   * its first rollback or rejection (a series that appears at 1 shows no increase).
   */
  public void known(String rollout) {
    if (!known.add(rollout)) {
      return;
    }
    rollbackReasons.forEach(reason -> rollbacks(rollout, reason));
    rejectionReasons.forEach(reason -> rejections(rollout, reason));
    wavesCompleted(rollout);
    nodeWrites(rollout);
    nodeWriteFailureCounter(rollout);
    revocationWrites(rollout);
  }

  /** The channel's revocation was written (a revision revoked, or where nodes go back to changed). */
  public void revoked(String rollout) {
    revocationWrites(rollout).increment();
  }

  private Counter revocationWrites(String rollout) {
    return Counter.builder("wavegate_revocation_writes")
        .description("Writes of the channel's ContentRevocation, which every node agent watches")
        .tag("rollout", rollout).register(registry);
  }

  /** One row of wavegate_rollout_status, wavegate_rollout_stalled and wavegate_rollout_nodes. */
  public record RolloutRow(String rollout, String phase, String revision, String stableRevision, String stallReason,
      int updated, int pending, int unavailable, int failed, java.util.List<Held> held) {

    public RolloutRow(String rollout, String phase, String revision, String stableRevision, String stallReason,
        int updated, int pending, int unavailable, int failed) {
      this(rollout, phase, revision, stableRevision, stallReason, updated, pending, unavailable, failed,
          java.util.List.of());
    }
  }

  /** Nodes one update policy holds back from a rollout's revision, for one reason (status.holds). */
  public record Held(String policy, String reason, int count) {}

  private final java.util.Map<String, RolloutRow> rows = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The rollout's gauges, from its status: only a changed row is registered again, and the rows of
   * rollouts that no longer exist ({@code exists} says which) go with it.
   */
  public synchronized void rolloutStatus(RolloutRow row, java.util.function.Predicate<String> exists) {
    RolloutRow before = rows.put(row.rollout(), row);
    boolean removed = rows.keySet().removeIf(rollout -> !exists.test(rollout));
    if (removed || !row.equals(before)) {
      register(java.util.List.copyOf(rows.values()));
    }
  }

  private void register(java.util.List<RolloutRow> rows) {
    info.register(rows.stream().map(r -> io.micrometer.core.instrument.MultiGauge.Row.of(io.micrometer.core.instrument.Tags.of(
        "rollout", r.rollout(), "phase", r.phase(), "revision", r.revision(), "stable_revision", r.stableRevision()), 1))
        .collect(java.util.stream.Collectors.toList()), true);
    stalled.register(rows.stream().filter(r -> r.stallReason() != null).map(r ->
        io.micrometer.core.instrument.MultiGauge.Row.of(io.micrometer.core.instrument.Tags.of("rollout", r.rollout(),
            "reason", r.stallReason()), 1)).collect(java.util.stream.Collectors.toList()), true);
    nodes.register(rows.stream().flatMap(r -> java.util.stream.Stream.of(
        nodeRow(r.rollout(), "updated", r.updated()), nodeRow(r.rollout(), "pending", r.pending()),
        nodeRow(r.rollout(), "unavailable", r.unavailable()), nodeRow(r.rollout(), "failed", r.failed()),
        nodeRow(r.rollout(), "held", r.held().stream().mapToInt(Held::count).sum())))
        .collect(java.util.stream.Collectors.toList()), true);
    held.register(rows.stream().flatMap(r -> r.held().stream().map(h -> io.micrometer.core.instrument.MultiGauge.Row.of(
        io.micrometer.core.instrument.Tags.of("rollout", r.rollout(), "policy", h.policy(), "reason", h.reason()),
        h.count()))).collect(java.util.stream.Collectors.toList()), true);
  }

  private static io.micrometer.core.instrument.MultiGauge.Row<?> nodeRow(String rollout, String state, int count) {
    return io.micrometer.core.instrument.MultiGauge.Row.of(io.micrometer.core.instrument.Tags.of("rollout", rollout,
        "state", state), count);
  }

  /** Every Event counts in wavegate_events{rollout,reason}. */
  public void event(String rollout, String reason) {
    Counter.builder("wavegate_events").description("Events recorded on ContentRollouts, by reason")
        .tag("rollout", rollout).tag("reason", reason).register(registry).increment();
  }

  public void waveCompleted(String rollout) {
    wavesCompleted(rollout).increment();
  }

  /** A rollback, by the health signal (or abort) behind it. */
  public void rollback(String rollout, String signal) {
    rollbacks(rollout, signal).increment();
  }

  /** A revision refused by the content gate, by its reason. */
  public void rejected(String rollout, String reason) {
    rejections(rollout, reason).increment();
  }

  private Counter wavesCompleted(String rollout) {
    return Counter.builder("wavegate_waves_completed").description("Waves completed").tag("rollout", rollout)
        .register(registry);
  }

  private Counter rollbacks(String rollout, String reason) {
    return Counter.builder("wavegate_rollbacks").description("Rollbacks started, by the signal behind them")
        .tag("rollout", rollout).tag("reason", reason).register(registry);
  }

  private Counter rejections(String rollout, String reason) {
    return Counter.builder("wavegate_rejections").description("Revisions refused by the content gate, by reason")
        .tag("rollout", rollout).tag("reason", reason).register(registry);
  }

  private Counter nodeWrites(String rollout) {
    return Counter.builder("wavegate_node_writes").description("Node patches written").tag("rollout", rollout)
        .register(registry);
  }

  private Counter nodeWriteFailureCounter(String rollout) {
    return Counter.builder("wavegate_node_write_failures")
        .description("Node patches that failed (retried with back-off)").tag("rollout", rollout).register(registry);
  }

  public void reconcileError(String rollout, String reason) {
    Counter.builder("wavegate_reconcile_errors").description("Failed reconciles, by the reason recorded in status.error")
        .tag("rollout", rollout).tag("reason", reason).register(registry).increment();
  }

  public void nodeWriteFailures(String rollout, int count) {
    if (count > 0) {
      nodeWriteFailureCounter(rollout).increment(count);
    }
  }

  public void metricMeasured(String rollout, String metric, String outcome) {
    Counter.builder("wavegate_metric_measurements").description("Metric gate measurements, by outcome")
        .tag("rollout", rollout).tag("metric", metric).tag("outcome", outcome).register(registry).increment();
  }

  public void nodesUpdated(String rollout, int count) {
    nodeWrites(rollout).increment(count);
  }

  /**
   * Gathering the fleet from the informer caches and deciding: the planning part of a reconcile, no API
   * calls; its wall time, the CPU time of the reconciling thread (what it costs apart from waiting), and
   * the nodes whose facts it derived again (those that changed since the rollout's last reconcile, or
   * every node when its fleet was derived afresh).
   */
  public void planned(String rollout, Duration took, Duration cpu, int nodesDerived) {
    Counter.builder("wavegate_fleet_nodes_derived")
        .description("Nodes whose facts a reconcile derived again from the caches (the rest were kept)")
        .tag("rollout", rollout).register(registry).increment(nodesDerived);
    Timer.builder("wavegate_planning")
        .description("Gathering the fleet from the caches and deciding, per reconcile (no API calls)")
        .tag("rollout", rollout).publishPercentileHistogram().register(registry)
        .record(took);
    Timer.builder("wavegate_planning_cpu")
        .description("CPU time of the reconciling thread while gathering and deciding, per reconcile")
        .tag("rollout", rollout).publishPercentileHistogram().register(registry)
        .record(cpu);
  }

  /** From the informer event that carried a breach signal to the rollback (or halt) decision. */
  public void breachToDecision(Duration latency) {
    breachTimer().record(latency);
  }

  private Timer breachTimer() {
    return Timer.builder("wavegate_breach_to_decision")
        .description("From the informer event carrying a breach signal to the rollback decision")
        .publishPercentileHistogram().register(registry);
  }
}
