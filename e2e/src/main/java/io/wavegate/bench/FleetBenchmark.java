package io.wavegate.bench;

import io.wavegate.contract.NodeContent;
import io.wavegate.contract.Digests;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wavegate.WavegateOperator;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.KeyRef;
import io.wavegate.api.RolloutPhase;
import io.wavegate.config.OperatorConfig;
import io.wavegate.contract.Assignment;
import io.wavegate.sim.ClusterSetup;
import io.wavegate.sim.Rollouts;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the DESIGN targets at fleet scale against a local API server and prints the figures
 * (never asserts them): a zero-bake rollout over N nodes, node writes per node and at steady state,
 * breach → first rollback write, reconcile time, and the operator's heap. `scripts/bench.sh`.
 */
public final class FleetBenchmark {

  static final String NS = "wavegate-system";
  static final String CHANNEL = "bench-channel";

  private final KubernetesClient client;
  private final SimpleMeterRegistry registry;
  private final PrintStream out;
  private final ReportingFleet fleet;
  private final AtomicLong firstRollbackWriteNanos = new AtomicLong();
  private volatile String stable;
  private int version;

  private FleetBenchmark(KubernetesClient client, SimpleMeterRegistry registry, PrintStream out) {
    this.client = client;
    this.registry = registry;
    this.out = out;
    this.fleet = new ReportingFleet(client, this::onAssignment);
  }

  public static void main(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int breaches = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    run(nodes, breaches, System.out);
    System.exit(0);
  }

  /** Runs the whole benchmark on a fresh local API server and prints the figures to {@code out}. */
  public static void run(int nodes, int breaches, PrintStream out) throws Exception {
    KubeAPIServer server = ClusterSetup.startApiServer();
    try (KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(server.getKubeConfigYaml())).build()) {
      ClusterSetup.installCrd(client, Path.of(System.getProperty("wavegate.root", ".")));
      ClusterSetup.createNamespace(client, NS);
      Map<String, Integer> pools = new LinkedHashMap<>();
      int canary = Math.max(1, nodes / 100);
      int early = nodes / 5;
      pools.put("canary", canary);
      pools.put("early", early);
      pools.put("broad", nodes - canary - early);
      FleetBenchmark bench = new FleetBenchmark(client, new SimpleMeterRegistry(), out);
      try (ReportingFleet fleet = bench.fleet) {
        long t0 = System.nanoTime();
        fleet.create(pools, NS);
        bench.print("nodes created (Ready, 40 images in status, one sensor pod each, in pools " + pools + ")", nodes,
            "in " + seconds(t0) + " s");
        fleet.answer(CHANNEL);
        fleet.start();
        long heapBefore = usedHeapAfterGc();
        OperatorConfig config = OperatorConfig.fromEnvironment(java.util.Map.of("WAVEGATE_NAMESPACE", NS,
            "WAVEGATE_METRICS_PORT", "0", "WAVEGATE_LEADER_ELECTION", "false", "WAVEGATE_NODE_WRITE_CONCURRENCY", "32"));
        try (WavegateOperator operator = new WavegateOperator(client, config, bench.registry).start()) {
          bench.run(nodes, breaches, heapBefore);
        }
      }
    } finally {
      server.stop();
    }
  }

  private void run(int nodes, int breaches, long heapBefore) throws Exception {
    out.println();
    String first = publish();
    int watcherCount = Integer.getInteger("wavegate.bench.nodeWatchers", 5);
    double rolloutSeconds;
    try (NodeWatchers watchers = new NodeWatchers(client, watcherCount)) {
      watchers.awaitInitialList(nodes);
      watchers.takeCounts(); // the initial list of every Node is not the rollout's doing
      long start = System.nanoTime();
      apply(CHANNEL, first, "0s", Map.of(ReportingFleet.FLEET_LABEL, "true"));
      awaitPhase(CHANNEL, RolloutPhase.Succeeded, 600);
      rolloutSeconds = (System.nanoTime() - start) / 1e9;
      Thread.sleep(2000); // the last reports' events
      long[] pushed = watchers.takeCounts();
      if (watcherCount > 0) {
        printWatchers(nodes, watcherCount, pushed);
      }
    }
    stable = first;
    print("rollout of " + nodes + " nodes, 3 waves, zero bake", rolloutSeconds, "s (target <= 60 s)");
    double writes = nodeWrites();
    print("operator node writes (NodeContent applies) for that revision", writes, "for " + nodes + " nodes (target <= " + nodes + ")");
    Thread.sleep(10_000);
    print("operator node writes in the 10 s after Succeeded (steady state)", nodeWrites() - writes, "(target 0)");

    List<Double> latencies = new ArrayList<>();
    for (int i = 0; i < breaches; i++) {
      latencies.add(breachToFirstRollbackWrite());
    }
    latencies.sort(Double::compare);
    print("breach (reboot written) -> first rollback write, " + latencies.size() + " samples, p50",
        percentile(latencies, 0.5), "ms (target <= 200 ms)");
    print("breach (reboot written) -> first rollback write, p99 (max)", percentile(latencies, 0.99),
        "ms (target <= 1000 ms)");

    printPlanning("planning (gather from caches + decide) per reconcile of the " + nodes + "-node rollout",
        registry.find("wavegate_planning").tag("rollout", CHANNEL).timer());
    printReconcileTimer();

    long started = System.nanoTime();
    List<String> others = new ArrayList<>();
    for (int slice = 0; slice < ReportingFleet.SLICES; slice++) {
      String name = "bench-slice-" + slice;
      others.add(name);
      fleet.answer(name);
      apply(name, first, "0s", Map.of(ReportingFleet.SLICE_LABEL, String.valueOf(slice)));
    }
    for (String name : others) {
      awaitPhase(name, RolloutPhase.Succeeded, 600);
    }
    print(others.size() + " more rollouts, one per slice of ~" + nodes / others.size() + " nodes, all Succeeded",
        (System.nanoTime() - started) / 1e9, "s");
    long heapAfter = usedHeapAfterGc();
    print("operator heap after GC (process heap minus the same before the operator started)",
        (heapAfter - heapBefore) / 1024.0 / 1024.0, "MiB with " + nodes + " nodes and "
            + client.resources(ContentRollout.class).list().getItems().size() + " rollouts (target <= 256 MiB)");
  }

  private void printWatchers(int nodes, int watcherCount, long[] pushed) {
    print("Node watch events pushed to each cluster-wide Node watcher during the rollout (" + watcherCount
        + " watchers)", (double) pushed[0] / watcherCount, "events");
    print("bytes pushed to each Node watcher during the rollout", pushed[1] / (double) watcherCount / 1e6, "MB");
    print("bytes pushed for the rollout if every one of the " + nodes + " nodes runs a Node watcher",
        pushed[1] / (double) watcherCount * nodes / 1e9, "GB");
  }

  private void printPlanning(String what, Timer timer) {
    double p50 = 0;
    for (var value : timer.takeSnapshot().percentileValues()) {
      if (value.percentile() == 0.5) {
        p50 = value.value(TimeUnit.MILLISECONDS);
      }
    }
    print(what + ", p50", p50, "ms over " + timer.count() + " reconciles (target <= 50 ms)");
    print(what + ", max", timer.max(TimeUnit.MILLISECONDS), "ms");
  }

  private void printReconcileTimer() {
    for (var meter : registry.getMeters()) {
      if (meter instanceof Timer timer && meter.getId().getName().startsWith("operator.sdk.controllers.execution.reconcile")
          && timer.count() > 0) {
        print("whole reconcile (planning + node writes + status write), JOSDK timer, mean",
            timer.mean(TimeUnit.MILLISECONDS), "ms over " + timer.count() + " reconciles, max "
                + Math.round(timer.max(TimeUnit.MILLISECONDS)) + " ms (the largest wave's writes)");
      }
    }
  }

  /** A new revision whose canary reboots once applied; returns the ms from the reboot to the first revert. */
  private double breachToFirstRollbackWrite() throws Exception {
    String bad = publish();
    apply(CHANNEL, bad, "1h", Map.of(ReportingFleet.FLEET_LABEL, "true"));
    awaitCanaryApplied(bad);
    firstRollbackWriteNanos.set(0);
    long breach = System.nanoTime();
    fleet.reboot("canary-0");
    awaitPhase(CHANNEL, RolloutPhase.RolledBack, 120);
    long first = firstRollbackWriteNanos.get();
    return (first - breach) / 1e6;
  }

  private void onAssignment(String channel, String node, Assignment assignment) {
    if (CHANNEL.equals(channel) && stable != null && assignment.revision().equals(stable)) {
      firstRollbackWriteNanos.compareAndSet(0, System.nanoTime());
    }
  }

  private void awaitCanaryApplied(String digest) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      ContentRollout rollout = client.resources(ContentRollout.class).withName(CHANNEL).get();
      var status = rollout.getStatus();
      if (status != null && digest.equals(status.getRevisionDigest()) && status.getWaves() != null
          && !status.getWaves().isEmpty() && status.getWaves().get(0).getUpdated() != null
          && status.getWaves().get(0).getUpdated().equals(status.getWaves().get(0).getNodes())
          && "Baking".equals(status.getWaves().get(0).getPhase())) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("canary did not apply " + digest);
  }

  private void awaitPhase(String name, RolloutPhase phase, int seconds) {
    Rollouts.awaitPhase(client, name, phase, java.time.Duration.ofSeconds(seconds));
  }

  private String publish() {
    version++;
    byte[] bytes = ("rules revision " + version + "\n").repeat(100).getBytes(StandardCharsets.UTF_8);
    String digest = Digests.sha256Hex(bytes);
    client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName(contentName(digest))
        .withNamespace(NS).endMetadata().addToBinaryData("rules.bin", Base64.getEncoder().encodeToString(bytes))
        .build()).create();
    return digest;
  }

  private static String contentName(String digest) {
    return "content-" + digest.substring(0, 12);
  }

  private void apply(String name, String digest, String canaryBake, Map<String, String> nodeSelector) {
    Rollouts.apply(client, name, Rollouts.overPools(digest, new KeyRef(NS, contentName(digest), "rules.bin"), canaryBake,
        nodeSelector));
  }

  private double nodeWrites() {
    return registry.find("wavegate_node_writes").counters().stream().mapToDouble(Counter::count).sum();
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static double percentile(List<Double> sorted, double p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }

  private static String seconds(long since) {
    return String.format("%.1f", (System.nanoTime() - since) / 1e9);
  }

  private void print(String what, double value, String unit) {
    out.printf("[figure] %-95s %10.1f %s%n", what, value, unit);
  }
}
