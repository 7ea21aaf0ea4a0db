package io.wavegate.bench;

import com.sun.management.ThreadMXBean;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.KeyRef;
import io.wavegate.api.RollbackPolicy;
import io.wavegate.api.RolloutPhase;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.ChannelAssignment;
import io.wavegate.contract.ChannelReport;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.NodeContentStatus;
import io.wavegate.contract.NodeContents;
import io.wavegate.rollout.Actions;
import io.wavegate.rollout.ChannelFleet;
import io.wavegate.rollout.FleetFacts;
import io.wavegate.rollout.FleetGatherer;
import io.wavegate.rollout.FleetObjects;
import io.wavegate.rollout.RolloutDecider;
import io.wavegate.rollout.RolloutDecision;
import io.wavegate.rollout.RolloutInput;
import io.wavegate.rollout.RolloutState;
import io.wavegate.rollout.WaveDef;
import io.wavegate.rollout.WaveDefs;
import io.wavegate.rollout.WavePhase;
import io.wavegate.rollout.WaveProgress;
import io.wavegate.sim.Rollouts;
import io.wavegate.policy.UpdatePolicies;
import io.wavegate.validation.GateResult;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How the cost of one decision grows, with no API server: the pure decision path a reconcile runs (the
 * rollout's fleet brought up to date by its {@link ChannelFleet}, then decided) on synthetic fleets of
 * growing size, each node carrying every rollout's channel. Mid-rollout: the canary and early waves hold the
 * new revision, the early wave bakes, the broad wave waits: the decision a node's report causes, which
 * writes nothing.
 *
 * <p>Two paths per size and rollout count: a node's report (the node's facts derived again, the plan of the
 * decision before reused, then the decision), and the whole fleet derived afresh (a rollout's first reconcile
 * after a restart, or a new revision). A harness that warms up and repeats (not JMH): wall time, CPU time and
 * bytes allocated per decision (the thread's own counters), and per node event (one decision per rollout the
 * node carries). It writes the table and an SVG chart (log-log) for docs/benchmarks.md. Figures only;
 * nothing passes or fails.
 */
public final class DecisionBenchmark {

  static final String NEW = "a".repeat(64);
  static final String STABLE = "b".repeat(64);
  static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
  static final Duration WARM_UP = Duration.ofSeconds(2);
  static final Duration MEASURE = Duration.ofSeconds(4);
  static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  /**
   * One configuration's figures, per decision: after one node's report (medians and the 99th percentile of
   * the wall time), and with the whole fleet derived afresh (median).
   */
  record Row(int nodes, int rollouts, int samples, double wallP50Ms, double wallP99Ms, double cpuP50Ms,
      double allocatedMiB, double wholeP50Ms, double wholeAllocatedMiB) {

    double perNodeEventMs() {
      return wallP50Ms * rollouts;
    }

    double nsPerNode() {
      return wallP50Ms * 1_000_000 / nodes;
    }
  }

  /** Per-decision samples of one path: wall and CPU times, and bytes allocated. */
  static final class Samples {

    final List<Long> wall = new ArrayList<>();
    final List<Long> cpu = new ArrayList<>();
    long allocated;

    /** One decision, timed on the thread's own clocks; it must write nothing (the steady state). */
    void time(java.util.function.Supplier<RolloutDecision> decision) {
      long bytesBefore = THREADS.getCurrentThreadAllocatedBytes();
      long cpuBefore = THREADS.getCurrentThreadCpuTime();
      long started = System.nanoTime();
      RolloutDecision decided = decision.get();
      wall.add(System.nanoTime() - started);
      cpu.add(THREADS.getCurrentThreadCpuTime() - cpuBefore);
      allocated += THREADS.getCurrentThreadAllocatedBytes() - bytesBefore;
      if (!decided.nodeWrites().isEmpty()) {
        throw new IllegalStateException("the steady decision wrote " + decided.nodeWrites().size() + " nodes");
      }
    }

    void clear() {
      wall.clear();
      cpu.clear();
      allocated = 0;
    }

    static double p50Ms(List<Long> of) {
      List<Long> sorted = of.stream().sorted().toList();
      return sorted.get(sorted.size() / 2) / 1e6;
    }

    double p99Ms() {
      List<Long> sorted = wall.stream().sorted().toList();
      return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)) / 1e6;
    }

    double allocatedMiB() {
      return allocated / (double) wall.size() / (1 << 20);
    }
  }

  public static void main(String[] args) throws IOException {
    int[] sizes = args.length > 0 ? Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray()
        : new int[] {1_000, 5_000, 20_000, 100_000};
    int[] rolloutCounts = args.length > 1 ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
        : new int[] {1, 10, 50};
    Path out = Path.of(args.length > 2 ? args[2] : "e2e/target/decision-benchmark");
    System.out.printf("[decision] JVM %s, %d cores, heap max %d MiB; warm-up %d s, then %d s per configuration%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20, WARM_UP.toSeconds(), MEASURE.toSeconds());
    List<Row> rows = new ArrayList<>();
    for (int rollouts : rolloutCounts) {
      for (int nodes : sizes) {
        Row row = measure(nodes, rollouts);
        rows.add(row);
        System.out.printf(Locale.ROOT, "[figure] decision nodes=%d rollouts=%d: after one node's report p50 %.2f ms,"
            + " p99 %.2f ms, CPU %.2f ms, %.2f MiB allocated per decision; %.0f ns per node; one node event (%d"
            + " decisions) %.1f ms (%d samples); whole fleet derived afresh p50 %.2f ms, %.1f MiB%n",
            row.nodes(), row.rollouts(), row.wallP50Ms(), row.wallP99Ms(), row.cpuP50Ms(), row.allocatedMiB(),
            row.nsPerNode(), row.rollouts(), row.perNodeEventMs(), row.samples(), row.wholeP50Ms(),
            row.wholeAllocatedMiB());
        System.gc();
      }
    }
    Files.createDirectories(out);
    Files.writeString(out.resolve("decision-cost.md"), table(rows));
    Files.writeString(out.resolve("decision-cost.svg"), DecisionChart.svg(rows));
    System.out.println(table(rows));
    System.out.println("[decision] table and chart written to " + out.toAbsolutePath());
  }

  static Row measure(int size, int rollouts) {
    Fleet fleet = Fleet.of(size, rollouts);
    ContentRolloutSpec spec = Rollouts.overPools(NEW, new KeyRef("sources", "content", "C-1.sys"), "10m", null);
    List<WaveDef> waves = WaveDefs.from(spec.getStrategy(), Map.of());
    RolloutState state = new RolloutState(RolloutPhase.Progressing, NEW, STABLE, List.of(), List.of(
        new WaveProgress("canary", WavePhase.Completed, NOW.minusSeconds(3600), NOW.minusSeconds(1800),
            NOW.minusSeconds(1800)),
        new WaveProgress("early", WavePhase.Baking, NOW.minusSeconds(1800), NOW.plusSeconds(3600), null),
        new WaveProgress("broad", WavePhase.Pending, null, null, null)), GateResult.passed("checks passed"), null, null);
    List<String> channels = new ArrayList<>();
    List<ChannelFleet> kept = new ArrayList<>();
    for (int r = 0; r < rollouts; r++) {
      channels.add("channel-" + r);
      kept.add(new ChannelFleet());
    }
    Samples report = new Samples();
    Samples whole = new Samples();
    Instant warmUntil = Instant.now().plus(WARM_UP);
    Instant measureUntil = null;
    for (int event = 0; ; event++) {
      // the warm-up ends after whole events only: the first derives every rollout's fleet
      if (measureUntil == null && !Instant.now().isBefore(warmUntil)) {
        measureUntil = Instant.now().plus(MEASURE);
        report.clear();
        whole.clear();
      }
      if (measureUntil != null && !Instant.now().isBefore(measureUntil) && report.wall.size() >= 5
          && !whole.wall.isEmpty()) {
        break;
      }
      // one node reports again: its facts change, and every rollout it carries decides
      String node = fleet.report(event % size, rollouts, event);
      kept.forEach(k -> k.changed(node));
      for (int r = 0; r < rollouts; r++) {
        String channel = channels.get(r);
        ChannelFleet channelFleet = kept.get(r);
        report.time(() -> decide(channel, spec, waves, state, channelFleet, fleet));
      }
      if (event % 20 == 0 || measureUntil != null && whole.wall.isEmpty()) {
        String channel = channels.get(event % rollouts);
        whole.time(() -> decide(channel, spec, waves, state, new ChannelFleet(), fleet));
      }
    }
    return new Row(size, rollouts, report.wall.size(), Samples.p50Ms(report.wall), report.p99Ms(),
        Samples.p50Ms(report.cpu), report.allocatedMiB(), Samples.p50Ms(whole.wall), whole.allocatedMiB());
  }

  /** The decision path of one reconcile: the rollout's fleet brought up to date, then decided. */
  static RolloutDecision decide(String channel, ContentRolloutSpec spec, List<WaveDef> waves, RolloutState state,
      ChannelFleet kept, Fleet fleet) {
    FleetFacts facts = kept.refresh(new FleetGatherer.Basis(channel, spec.getNodeSelector(), null, NEW),
        fleet.objects(), NOW);
    return RolloutDecider.decide(new RolloutInput(channel, 1, 1, NEW, "wavegate-snapshots", false, "5m", false,
        RollbackPolicy.Automatic, "wavegate.io/pool", waves, state, GateResult.notNeeded(), facts, Actions.NONE, NOW,
        List.of(), RolloutInput.NO_PULL_CAP, UpdatePolicies.NONE, List.of()));
  }

  /** A synthetic fleet: 1 % canary, 10 % early, the rest broad; every node carries every rollout's channel. */
  record Fleet(int size, FleetObjects objects) {

    static Fleet of(int size, int rollouts) {
      Fleet fleet = new Fleet(size, new FleetObjects(new HashMap<>(), new HashMap<>(), Map.of()));
      for (int i = 0; i < size; i++) {
        String name = "node-" + i;
        fleet.objects().nodesByName().put(name, new NodeBuilder().withNewMetadata().withName(name).withUid("uid-" + i)
            .addToLabels("wavegate.io/pool", fleet.pool(i)).endMetadata().withNewStatus().addNewCondition()
            .withType("Ready").withStatus("True").endCondition().withNewNodeInfo().withBootID("boot-" + i)
            .endNodeInfo().endStatus().build());
        fleet.report(i, rollouts, 0);
      }
      return fleet;
    }

    String pool(int node) {
      int canary = Math.max(1, size / 100);
      return node < canary ? "canary" : node < canary + Math.max(1, size / 10) ? "early" : "broad";
    }

    /** The node's agent reports (again) on every channel: a new NodeContent, as a watch event brings. */
    String report(int node, int rollouts, int time) {
      String name = "node-" + node;
      String revision = pool(node).equals("broad") ? STABLE : NEW;
      Assignment assignment = new Assignment(revision, pool(node), "wavegate-snapshots/x", "boot-" + node, true,
          NOW.minusSeconds(1800).toString());
      AgentReport report = new AgentReport(revision, AgentReport.APPLIED, null, null,
          NOW.minusSeconds(1790 - time % 1000).toString());
      objects.contents().put(name, content(name, rollouts, assignment, report));
      return name;
    }

    private static NodeContent content(String node, int rollouts, Assignment assignment, AgentReport report) {
      NodeContent content = NodeContents.assignmentApply(node, null, "channel-0", Optional.of(assignment));
      List<ChannelAssignment> assigned = new ArrayList<>();
      List<ChannelReport> reported = new ArrayList<>();
      for (int r = 0; r < rollouts; r++) {
        String channel = "channel-" + r;
        assigned.addAll(NodeContents.assignmentApply(node, null, channel, Optional.of(assignment)).getSpec()
            .getChannels());
        reported.addAll(NodeContents.reportApply(node, channel, report).getStatus().getChannels());
      }
      content.getSpec().setChannels(assigned);
      NodeContentStatus status = new NodeContentStatus();
      status.setChannels(reported);
      content.setStatus(status);
      return content;
    }
  }

  static String table(List<Row> rows) {
    StringBuilder out = new StringBuilder("| nodes | rollouts | after one node's report: p50 (ms) | p99 (ms) | CPU p50"
        + " (ms) | allocated (MiB) | ns per node | one node event, every rollout (ms) | whole fleet derived afresh:"
        + " p50 (ms) | allocated (MiB) |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Row row : rows) {
      out.append(String.format(Locale.ROOT, "| %,d | %d | %.2f | %.2f | %.2f | %.2f | %.0f | %.1f | %.2f | %.1f |%n",
          row.nodes(), row.rollouts(), row.wallP50Ms(), row.wallP99Ms(), row.cpuP50Ms(), row.allocatedMiB(),
          row.nsPerNode(), row.perNodeEventMs(), row.wholeP50Ms(), row.wholeAllocatedMiB()));
    }
    return out.toString();
  }
}
