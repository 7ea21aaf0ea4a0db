package io.wavegate.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.NodeContents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The machine's own ceiling, measured on the benchmark's fleet before the operator starts: how many
 * writes per second the API server takes from many parallel writers, for each kind of write a
 * rollout makes. Every wavegate figure is printed beside it as a ratio, so it reads the same on any
 * machine.
 *
 * @param nodePatches merge patches of Node objects per second (the ceiling the design names)
 * @param assignments server-side applies of a NodeContent's spec per second (the operator's write)
 * @param reports server-side applies of a NodeContent's status per second (an agent's write)
 * @param threads the parallel writers that gave the highest rates (the best of those tried, per kind)
 */
record Ceiling(double nodePatches, double assignments, double reports, String threads) {

  static final String CHANNEL = "ceiling";

  /** Seconds the ceiling needs for {@code assignments} operator writes and {@code reports} agent writes. */
  double seconds(int assignmentWrites, int reportWrites) {
    return assignmentWrites / assignments + reportWrites / reports;
  }

  /**
   * Measures each kind over every node once, with {@code threads} writers, then removes what it
   * wrote (the NodeContent entries of channel "ceiling"; the Node annotation stays).
   */
  static Ceiling best(KubernetesClient client, KubernetesClient operator, List<String> nodes, int... writerCounts)
      throws Exception {
    Ceiling best = null;
    for (int writers : writerCounts) {
      Ceiling c = measure(client, operator, nodes, writers);
      best = best == null ? c : new Ceiling(Math.max(best.nodePatches, c.nodePatches),
          Math.max(best.assignments, c.assignments), Math.max(best.reports, c.reports), best.threads + " and " + writers);
    }
    return best;
  }

  /**
   * {@code operator} makes the operator's write with the operator's identity (the chart's RBAC and its
   * NodeContent policy judge it, as they judge the operator's); {@code client} makes the others.
   */
  static Ceiling measure(KubernetesClient client, KubernetesClient operator, List<String> nodes, int threads)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      String stamp = Instant.now().toString();
      double patches = rate(pool, nodes, node -> client.nodes().withName(node).patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"metadata\":{\"annotations\":{\"bench.wavegate.io/ceiling\":\"" + stamp + "\"}}}"));
      String revision = "0".repeat(64);
      Assignment assignment = new Assignment(revision, "ceiling", "wavegate-system/ceiling", "boot", true, stamp);
      double assignments = rate(pool, nodes, node -> NodeContents.applyAssignment(operator, node, null, CHANNEL,
          Optional.of(assignment)));
      AgentReport report = new AgentReport(revision, AgentReport.APPLIED, null, null, stamp);
      double reports = rate(pool, nodes, node -> NodeContents.applyReport(client, node, CHANNEL, report));
      rate(pool, nodes, node -> NodeContents.applyReport(client, node, CHANNEL, null));
      rate(pool, nodes, node -> NodeContents.applyAssignment(operator, node, null, CHANNEL, Optional.empty()));
      return new Ceiling(patches, assignments, reports, Integer.toString(threads));
    } finally {
      pool.shutdownNow();
    }
  }

  private static double rate(ExecutorService pool, List<String> nodes, Consumer<String> write) throws Exception {
    long start = System.nanoTime();
    List<Future<?>> writes = new ArrayList<>();
    nodes.forEach(node -> writes.add(pool.submit(() -> write.accept(node))));
    for (Future<?> future : writes) {
      future.get();
    }
    return nodes.size() / ((System.nanoTime() - start) / 1e9);
  }
}
