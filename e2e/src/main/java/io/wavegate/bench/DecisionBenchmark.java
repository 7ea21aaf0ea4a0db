package io.wavegate.bench;

import com.sun.management.ThreadMXBean;
import io.fabric8.kubernetes.api.model.Node;
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
import io.wavegate.rollout.FleetGatherer;
import io.wavegate.rollout.FleetNode;
import io.wavegate.rollout.RolloutDecider;
import io.wavegate.rollout.RolloutDecision;
import io.wavegate.rollout.RolloutInput;
import io.wavegate.rollout.RolloutState;
import io.wavegate.rollout.WaveDef;
import io.wavegate.rollout.WaveDefs;
import io.wavegate.rollout.WavePhase;
import io.wavegate.rollout.WaveProgress;
import io.wavegate.sim.Rollouts;
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
 * How the cost of one decision grows, with no API server: the pure decision path a reconcile runs (gather
 * the fleet from the informers' objects, then decide) on synthetic fleets of growing size, each node
 * carrying every rollout's channel. Mid-rollout: the canary and early waves hold the new revision, the
 * early wave bakes, the broad wave waits: the decision a node's report causes, which writes nothing.
 *
 * <p>A harness that warms up and repeats (not JMH): per size and rollout count it runs decisions for a few
 * seconds after a warm-up, and prints wall time, CPU time and bytes allocated per decision (the thread's
 * own counters), and per node event (one decision per rollout the node carries). It writes the table and
 * an SVG chart (log-log) for docs/benchmarks.md. Figures only; nothing passes or fails.
 */
public final class DecisionBenchmark {

  static final String NEW = "a".repeat(64);
  static final String STABLE = "b".repeat(64);
  static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
  static final Duration WARM_UP = Duration.ofSeconds(2);
  static final Duration MEASURE = Duration.ofSeconds(4);
  static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** One configuration's figures, per decision (medians and the 99th percentile of the wall time). */
  record Row(int nodes, int rollouts, int samples, double wallP50Ms, double wallP99Ms, double cpuP50Ms,
      double allocatedMiB) {

    double perNodeEventMs() {
      return wallP50Ms * rollouts;
    }

    double nsPerNode() {
      return wallP50Ms * 1_000_000 / nodes;
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
        System.out.printf(Locale.ROOT, "[figure] decision nodes=%d rollouts=%d: p50 %.2f ms, p99 %.2f ms, CPU %.2f ms,"
            + " %.1f MiB allocated per decision; %.0f ns per node; one node event (%d decisions) %.1f ms (%d samples)%n",
            row.nodes(), row.rollouts(), row.wallP50Ms(), row.wallP99Ms(), row.cpuP50Ms(), row.allocatedMiB(),
            row.nsPerNode(), row.rollouts(), row.perNodeEventMs(), row.samples());
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
    List<String> channels = new ArrayList<>();
    for (int r = 0; r < rollouts; r++) {
      channels.add("channel-" + r);
    }
    ContentRolloutSpec spec = Rollouts.overPools(NEW, new KeyRef("sources", "content", "C-1.sys"), "10m", null);
    List<WaveDef> waves = WaveDefs.from(spec.getStrategy());
    RolloutState state = new RolloutState(RolloutPhase.Progressing, NEW, STABLE, List.of(), List.of(
        new WaveProgress("canary", WavePhase.Completed, NOW.minusSeconds(3600), NOW.minusSeconds(1800),
            NOW.minusSeconds(1800)),
        new WaveProgress("early", WavePhase.Baking, NOW.minusSeconds(1800), NOW.plusSeconds(3600), null),
        new WaveProgress("broad", WavePhase.Pending, null, null, null)), GateResult.passed("checks passed"), null, null);
    Instant warmUntil = Instant.now().plus(WARM_UP);
    int next = 0;
    while (Instant.now().isBefore(warmUntil)) {
      decide(channels.get(next++ % rollouts), spec, waves, state, fleet);
    }
    List<Long> wall = new ArrayList<>();
    List<Long> cpu = new ArrayList<>();
    long allocated = 0;
    Instant measureUntil = Instant.now().plus(MEASURE);
    while (Instant.now().isBefore(measureUntil) || wall.size() < 5) {
      String channel = channels.get(next++ % rollouts);
      long bytesBefore = THREADS.getCurrentThreadAllocatedBytes();
      long cpuBefore = THREADS.getCurrentThreadCpuTime();
      long started = System.nanoTime();
      RolloutDecision decision = decide(channel, spec, waves, state, fleet);
      wall.add(System.nanoTime() - started);
      cpu.add(THREADS.getCurrentThreadCpuTime() - cpuBefore);
      allocated += THREADS.getCurrentThreadAllocatedBytes() - bytesBefore;
      if (!decision.nodeWrites().isEmpty()) {
        throw new IllegalStateException("the steady decision wrote " + decision.nodeWrites().size() + " nodes");
      }
    }
    wall.sort(null);
    cpu.sort(null);
    return new Row(size, rollouts, wall.size(), wall.get(wall.size() / 2) / 1e6,
        wall.get(Math.min(wall.size() - 1, (int) Math.ceil(wall.size() * 0.99) - 1)) / 1e6,
        cpu.get(cpu.size() / 2) / 1e6, allocated / (double) wall.size() / (1 << 20));
  }

  /** The decision path of one reconcile: the fleet gathered from the cached objects, then decided. */
  static RolloutDecision decide(String channel, ContentRolloutSpec spec, List<WaveDef> waves, RolloutState state,
      Fleet fleet) {
    List<FleetNode> nodes = FleetGatherer.gather(channel, spec, NEW, fleet.nodes(), fleet.contents(), List.of());
    return RolloutDecider.decide(new RolloutInput(channel, 1, 1, NEW, "wavegate-snapshots", false, "5m", false,
        RollbackPolicy.Automatic, "wavegate.io/pool", waves, state, GateResult.notNeeded(), nodes, Actions.NONE, NOW));
  }

  /** A synthetic fleet: 1 % canary, 10 % early, the rest broad; every node carries every rollout's channel. */
  record Fleet(List<Node> nodes, Map<String, NodeContent> contents) {

    static Fleet of(int size, int rollouts) {
      List<Node> nodes = new ArrayList<>(size);
      Map<String, NodeContent> contents = new HashMap<>();
      int canary = Math.max(1, size / 100);
      int early = Math.max(1, size / 10);
      for (int i = 0; i < size; i++) {
        String pool = i < canary ? "canary" : i < canary + early ? "early" : "broad";
        String name = "node-" + i;
        String bootId = "boot-" + i;
        nodes.add(new NodeBuilder().withNewMetadata().withName(name).withUid("uid-" + i)
            .addToLabels("wavegate.io/pool", pool).endMetadata().withNewStatus().addNewCondition().withType("Ready")
            .withStatus("True").endCondition().withNewNodeInfo().withBootID(bootId).endNodeInfo().endStatus().build());
        String revision = pool.equals("broad") ? STABLE : NEW;
        Assignment assignment = new Assignment(revision, pool, "wavegate-snapshots/x", bootId, true,
            NOW.minusSeconds(1800).toString());
        AgentReport report = new AgentReport(revision, AgentReport.APPLIED, null, null, NOW.minusSeconds(1790).toString());
        contents.put(name, content(name, rollouts, assignment, report));
      }
      return new Fleet(nodes, contents);
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
    StringBuilder out = new StringBuilder("| nodes | rollouts | decision p50 (ms) | p99 (ms) | CPU p50 (ms) | allocated per"
        + " decision (MiB) | ns per node | one node event, every rollout (ms) |\n| ---: | ---: | ---: | ---: | ---: | ---: |"
        + " ---: | ---: |\n");
    for (Row row : rows) {
      out.append(String.format(Locale.ROOT, "| %,d | %d | %.2f | %.2f | %.2f | %.1f | %.0f | %.1f |%n", row.nodes(),
          row.rollouts(), row.wallP50Ms(), row.wallP99Ms(), row.cpuP50Ms(), row.allocatedMiB(), row.nsPerNode(),
          row.perNodeEventMs()));
    }
    return out.toString();
  }
}
