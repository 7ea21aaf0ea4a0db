package io.wavegate.bench;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.wavegate.api.WaveSpec;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.KeyRef;
import io.wavegate.api.RolloutPhase;
import io.wavegate.api.WaveStatus;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.Digests;
import io.wavegate.sim.Chart;
import io.wavegate.sim.ClusterSetup;
import io.wavegate.sim.Rollouts;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the DESIGN targets at fleet scale against a local API server and prints the figures
 * (never asserts them), each beside the machine's own ceiling measured in the same run on the same
 * fleet: a zero-bake rollout over N nodes, writes per node and at steady state, breach → first
 * rollback action, breach in the broad wave → every updated node back on the stable revision, the
 * agents' load on the API server, planning, and memory and CPU per process. The operator is the
 * packaged jar in a process of its own ({@link OperatorProcess}); this JVM holds the simulated fleet.
 * `scripts/bench.sh`.
 */
public final class FleetBenchmark {

  static final String NS = "wavegate-system";
  static final String CHANNEL = "bench-channel";
  static final String FILE = "rules.bin";
  static final int WRITERS = 32;
  static final double MIB = 1024.0 * 1024.0;
  /** The Java Operator SDK's timer of whole reconciles, as the operator's /metrics names it. */
  static final String RECONCILE_TIMER = "operator_sdk_controllers_execution_reconcile_seconds";

  private final KubernetesClient client;
  private final PrintStream out;
  private final ReportingFleet fleet;
  private final AtomicLong firstRollbackWriteNanos = new AtomicLong();
  private final AtomicLong lastRollbackWriteNanos = new AtomicLong();
  private final Map<String, byte[]> published = new HashMap<>();
  private Ceiling ceiling;
  private Kwok.LoadMeter load;
  private ProcessMeter processes;
  private OperatorProcess operator;
  private RealAgents realAgents;
  private volatile String stable;
  private int version;

  /** The fleet talks to the API server over connections of its own ({@code fleetClient}), as agents do. */
  private FleetBenchmark(KubernetesClient client, KubernetesClient fleetClient, PrintStream out) {
    this.client = client;
    this.out = out;
    this.fleet = new ReportingFleet(fleetClient, this::onAssignment);
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
    Kwok kwok = null;
    FleetBenchmark bench = null;
    try (KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(server.getKubeConfigYaml())).build();
        KubernetesClient fleetClient = new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(server.getKubeConfigYaml())).build()) {
      Chart.install(client); // the operator runs as installed: its RBAC, the admission policies on its writes
      Map<String, Integer> pools = new LinkedHashMap<>();
      int canary = Math.max(1, nodes / 100);
      int early = nodes / 5;
      pools.put("canary", canary);
      pools.put("early", early);
      pools.put("broad", nodes - canary - early);
      bench = new FleetBenchmark(client, fleetClient, out);
      out.printf("[machine] %d cores, %s %s, max heap %d MiB, Kubernetes %s binaries%n",
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
          System.getProperty("java.version"), Runtime.getRuntime().maxMemory() / 1024 / 1024, System.getProperty("wavegate.k8s.version", "1.34.4"));
      try (ReportingFleet fleet = bench.fleet) {
        long t0 = System.nanoTime();
        fleet.create(pools, NS);
        bench.print("nodes created (Ready, 40 images in status, one sensor pod each, in pools " + pools + ")", nodes,
            "in " + seconds(t0) + " s");
        String kwokBinary = System.getProperty("wavegate.kwok", "");
        if (!kwokBinary.isBlank()) {
          double renewals = Double.parseDouble(System.getProperty("wavegate.bench.leaseRenewalsPerSecond", "50"));
          kwok = Kwok.start(Path.of(kwokBinary), server.getKubeConfigYaml(), ReportingFleet.FLEET_LABEL + "=true", nodes,
              renewals);
          Kwok.awaitLeases(client, nodes);
          out.printf("[load] kwok %s manages the %d nodes: it renews each node's Lease every %d s (kubelets: every"
                  + " 10 s, %d writes/s here, the ceiling of 2 cores; scaled to about %.0f/s) and posts its status every"
                  + " 5 to 11 min; the load it puts on the API server is printed with each figure%n",
              kwok.alive() ? "(running)" : "(EXITED: no background load)", nodes, kwok.leaseSeconds() / 4, nodes / 10,
              renewals);
        } else {
          out.println("[load] no kwok (-Dwavegate.kwok unset): no background heartbeats; scripts/bench.sh provisions it");
        }
        bench.load = new Kwok.LoadMeter(client);
        bench.processes = new ProcessMeter();
        long ceilingStart = System.nanoTime();
        int[] writerCounts = java.util.Arrays.stream(System.getProperty("wavegate.bench.ceilingWriters",
            WRITERS + "," + ReportingFleet.AGENT_WRITERS).split(",")).mapToInt(w -> Integer.parseInt(w.trim())).toArray();
        bench.ceiling = Ceiling.best(client, Chart.asOperator(client), fleet.nodeNames(), writerCounts);
        bench.printCeiling(nodes);
        bench.printLoad("during the ceiling");
        bench.printCpu("the ceiling", (System.nanoTime() - ceilingStart) / 1e9);
        int sample = Integer.getInteger("wavegate.bench.realAgents", 3);
        List<String> agentNodes = fleet.nodeNames().stream().filter(n -> n.startsWith("broad-")).skip(1).limit(sample)
            .toList();
        agentNodes.forEach(fleet::leaveToRealAgent);
        fleet.answer(CHANNEL);
        fleet.start();
        int watches = Integer.getInteger("wavegate.bench.revocationWatches", nodes);
        fleet.watchRevocations(watches);
        out.printf("[load] %d revocation watches open (one per simulated agent), %d real agents (NodeAgent, real"
            + " files) on %s%n", watches, agentNodes.size(), agentNodes);
        // closed in reverse: the operator stops before the agents and the clients go
        try (RealAgents agents = new RealAgents(fleetClient, agentNodes);
            OperatorProcess operator = OperatorProcess.start(client, Map.of("WAVEGATE_LEADER_ELECTION", "false",
                "WAVEGATE_NODE_WRITE_CONCURRENCY", System.getProperty("wavegate.bench.operatorWriters", "64")),
                System.getProperty("wavegate.bench.operatorMemory"))) {
          bench.realAgents = agents;
          bench.operator = operator;
          bench.processes.operator(operator.pid());
          bench.printMemory("the operator started, before any rollout");
          bench.run(nodes, breaches);
        }
      }
    } finally {
      if (kwok != null) {
        kwok.close();
      }
      if (bench != null && bench.load != null) {
        bench.load.close();
      }
      server.stop();
    }
  }

  /** Where the machine's CPU went over {@code seconds} of wall time, by process; returns it by process. */
  private Map<String, Double> printCpu(String what, double seconds) {
    StringBuilder line = new StringBuilder();
    double total = 0;
    Map<String, Double> used = processes.takeCpu();
    for (Map.Entry<String, Double> e : used.entrySet()) {
      line.append(String.format("%s %.1f s, ", e.getKey(), e.getValue()));
      total += e.getValue();
    }
    out.printf("[cpu] during %s (%.1f s wall, %.1f core-s available): %sin all %.1f core-s (%.0f %%)%n", what, seconds,
        seconds * Runtime.getRuntime().availableProcessors(), line, total,
        100 * total / (seconds * Runtime.getRuntime().availableProcessors()));
    return used;
  }

  /**
   * Memory per process, measured once: the operator's heap right after a full collection, this JVM's
   * (the simulated fleet) likewise, and every process's resident set.
   */
  private record Memory(double operatorHeapMib, double fleetHeapMib, Map<String, Long> resident) {

    double residentMib(String process) {
      return resident.get(process) / MIB;
    }
  }

  private Memory measureMemory() throws Exception {
    return new Memory(operator.heapAfterGc() / MIB, usedHeapAfterGc() / MIB, processes.resident());
  }

  private Memory printMemory(String when) throws Exception {
    Memory memory = measureMemory();
    out.printf("[memory] %s: operator heap after GC %.1f MiB, resident %.1f MiB; simulated fleet (this JVM) heap"
            + " after GC %.1f MiB, resident %.1f MiB; kube-apiserver resident %.1f MiB; etcd %.1f MiB%n", when,
        memory.operatorHeapMib(), memory.residentMib(ProcessMeter.OPERATOR), memory.fleetHeapMib(),
        memory.residentMib(ProcessMeter.FLEET), memory.residentMib(ProcessMeter.API_SERVER), memory.residentMib("etcd"));
    return memory;
  }

  private void printLoad(String when) {
    double[] rates = load.take();
    out.printf("[load] background writes %s: %.1f Lease renewals/s (kwok renews in bursts), %.1f Node updates/s"
        + " (kwok's heartbeats, and this benchmark's own Node writes: the ceiling's, the reboots)%n", when,
        rates[0], rates[1]);
  }

  private void printCeiling(int nodes) {
    print("CEILING: parallel Node merge patches, no operator running (the best of " + ceiling.threads() + " writers)",
        ceiling.nodePatches(), "writes/s");
    print("CEILING: parallel NodeContent spec applies (the operator's write)", ceiling.assignments(), "writes/s");
    print("CEILING: parallel NodeContent status applies (an agent's write)", ceiling.reports(), "writes/s");
    print("CEILING: time for a " + nodes + "-node rollout's writes (" + nodes + " assignments + " + nodes + " reports)",
        ceiling.seconds(nodes, nodes), "s");
    print("CEILING: time for " + nodes + " per-node rollback writes", nodes / ceiling.assignments(), "s");
  }

  private void run(int nodes, int breaches) throws Exception {
    out.println();
    long runStarted = System.nanoTime();
    String first = publish();
    int watcherCount = Integer.getInteger("wavegate.bench.nodeWatchers", 5);
    double rolloutSeconds;
    ContentRolloutStatus done;
    try (NodeWatchers watchers = new NodeWatchers(client, watcherCount)) {
      watchers.awaitInitialList(nodes);
      watchers.takeCounts(); // the initial list of every Node is not the rollout's doing
      processes.takeCpu();
      long start = System.nanoTime();
      apply(CHANNEL, first, "0s", "0s", Map.of(ReportingFleet.FLEET_LABEL, "true"));
      done = Rollouts.awaitPhase(client, CHANNEL, RolloutPhase.Succeeded, Duration.ofSeconds(900));
      rolloutSeconds = (System.nanoTime() - start) / 1e9;
      Thread.sleep(2000); // the last reports' events
      long[] pushed = watchers.takeCounts();
      if (watcherCount > 0) {
        printWatchers(nodes, watcherCount, pushed);
      }
    }
    stable = first;
    double ceilingSeconds = ceiling.seconds(nodes, nodes);
    print("rollout of " + nodes + " nodes, 3 waves, zero bake", rolloutSeconds, String.format(
        "s = %.2f x the ceiling's %.1f s for the same writes (target <= 1.3 x)", rolloutSeconds / ceilingSeconds,
        ceilingSeconds));
    printWhereTheTimeGoes(done, rolloutSeconds);
    Map<String, Double> rolloutCpu = printCpu("the rollout", rolloutSeconds);
    print("the operator's CPU for the rollout, as a share of the API server's CPU for it",
        rolloutCpu.get(ProcessMeter.OPERATOR) / rolloutCpu.get(ProcessMeter.API_SERVER), String.format(
        "x (%.1f core-s against %.1f; target <= 0.15 x)", rolloutCpu.get(ProcessMeter.OPERATOR),
        rolloutCpu.get(ProcessMeter.API_SERVER)));
    printLoad("during the rollout");
    if ("rollout".equals(System.getProperty("wavegate.bench.only"))) {
      return;
    }
    double writes = nodeWrites();
    print("operator node writes (NodeContent applies) for that revision", writes, "for " + nodes + " nodes (target <= " + nodes + ")");
    long revocationBytes = fleet.revocationWatchBytes();
    long nodeContentEvents = fleet.events();
    Thread.sleep(10_000);
    print("operator node writes in the 10 s after Succeeded (steady state)", nodeWrites() - writes, "(target 0)");
    print("agents at steady state: watches per node", 2, "(its own NodeContent, by field selector; the revocations)");
    print("agents at steady state: NodeContent events per second per node", (fleet.events() - nodeContentEvents)
        / 10.0 / nodes, "events/s (over 10 s)");
    print("agents at steady state: revocation bytes per second per node", (fleet.revocationWatchBytes()
        - revocationBytes) / 10.0 / nodes, "bytes/s (over 10 s)");

    List<Double> firstAction = new ArrayList<>();
    List<Double> firstNodeWrite = new ArrayList<>();
    for (int i = 0; i < breaches; i++) {
      double[] sample = canaryBreach();
      firstAction.add(sample[0]);
      firstNodeWrite.add(sample[1]);
    }
    firstAction.sort(Double::compare);
    firstNodeWrite.sort(Double::compare);
    print("breach (canary reboot written) -> first rollback action (the revocation, seen by an agent's watch), "
        + firstAction.size() + " samples, p50", percentile(firstAction, 0.5), nodes > 10_000
        ? "ms (target <= 500 ms at 20,000 nodes)" : "ms (target <= 100 ms)");
    print("breach -> first rollback action, p99", percentile(firstAction, 0.99), "ms");
    print("breach -> first per-node rollback write seen, p50", percentile(firstNodeWrite, 0.5), "ms");
    printLoad("during the canary breaches");

    int broadSamples = Integer.getInteger("wavegate.bench.broadBreaches", 5);
    List<Double> allBack = new ArrayList<>();
    for (int i = 0; i < broadSamples; i++) {
      allBack.add(broadBreach(nodes));
    }
    allBack.sort(Double::compare);
    printLoad("during the broad-wave breaches");
    if (!allBack.isEmpty()) {
      print("breach in the broad wave -> every updated node back on the stable revision, " + allBack.size()
          + " samples, p99", percentile(allBack, 0.99), String.format("ms (target <= 1000 ms; the ceiling needs"
          + " %.0f ms for the per-node writes alone)", nodes / ceiling.assignments() * 1000));
    }

    printPlanning(nodes);
    printReconcileTimer();

    long started = System.nanoTime();
    List<String> others = new ArrayList<>();
    for (int slice = 0; slice < ReportingFleet.SLICES; slice++) {
      String name = "bench-slice-" + slice;
      others.add(name);
      fleet.answer(name);
      // one wave over the whole slice: a slice of a small fleet may lack a pool, and an empty wave waits
      Map<String, String> sliceLabel = Map.of(ReportingFleet.SLICE_LABEL, String.valueOf(slice));
      ContentRolloutSpec spec = Rollouts.overPools(first, new KeyRef(NS, contentName(first), FILE), "0s", sliceLabel);
      WaveSpec all = new WaveSpec();
      all.setName("slice");
      all.setNodeSelector(new LabelSelectorBuilder().addToMatchLabels(sliceLabel).build());
      all.setBakeTime("0s");
      spec.getStrategy().setWaves(List.of(all));
      Rollouts.apply(client, name, spec);
    }
    for (String name : others) {
      Rollouts.awaitPhase(client, name, RolloutPhase.Succeeded, Duration.ofSeconds(600));
    }
    print(others.size() + " more rollouts, one per slice of ~" + nodes / others.size() + " nodes, all Succeeded",
        (System.nanoTime() - started) / 1e9, "s");
    int rollouts = client.resources(ContentRollout.class).list().getItems().size();
    if (Boolean.getBoolean("wavegate.bench.histogram")) {
      // what the operator's heap holds, largest first
      operator.jcmd("GC.class_histogram").lines().limit(25).forEach(line -> out.println("[heap] " + line));
    }
    Memory end = printMemory("the end, " + rollouts + " rollouts");
    print("operator heap after GC (its own process)", end.operatorHeapMib(), "MiB with " + nodes + " nodes and "
        + rollouts + " rollouts (target <= " + (nodes > 10_000 ? 256 : 128) + " MiB)");
    print("operator resident memory (its own process)", end.residentMib(ProcessMeter.OPERATOR), "MiB");
    printCpu("the whole run since the rollout", (System.nanoTime() - runStarted) / 1e9);
  }

  /** Each wave's span from status, and how much of the wall time the operator spent inside reconciles. */
  private void printWhereTheTimeGoes(ContentRolloutStatus status, double rolloutSeconds) {
    for (WaveStatus wave : status.getWaves()) {
      double span = Duration.between(Instant.parse(wave.getStartedAt()), Instant.parse(wave.getCompletedAt()))
          .toMillis() / 1000.0;
      print("  where the time goes: wave " + wave.getName() + " (" + wave.getNodes() + " nodes), started -> completed",
          span, String.format("s (the ceiling: %.1f s for its writes)", ceiling.seconds(wave.getNodes(), wave.getNodes())));
    }
    double insideReconciles = insideReconcilesSeconds();
    print("  where the time goes: operator inside reconciles (planning, writes, status), all of the run so far",
        insideReconciles, String.format("s of the rollout's %.1f s", rolloutSeconds));
  }

  private void printWatchers(int nodes, int watcherCount, long[] pushed) {
    print("Node watch events pushed to each cluster-wide Node watcher during the rollout (" + watcherCount
        + " watchers)", (double) pushed[0] / watcherCount, String.format("events, of which %.0f changed a Node's labels"
        + " or annotations (the rest: status heartbeats, kwok's)", (double) pushed[2] / watcherCount));
    print("bytes pushed to each Node watcher during the rollout", pushed[1] / (double) watcherCount / 1e6, "MB");
    print("bytes pushed for the rollout if every one of the " + nodes + " nodes runs a Node watcher",
        pushed[1] / (double) watcherCount * nodes / 1e9, "GB");
  }

  /** The operator's planning timers (wall and the thread's CPU) over the whole run, from their histograms. */
  private void printPlanning(int nodes) {
    Scrape scrape = operator.scrape();
    var rollout = Scrape.label("rollout", CHANNEL);
    String what = "decision (gather from caches + decide) per reconcile of the " + nodes + "-node rollout";
    double count = scrape.sum("wavegate_planning_seconds_count", rollout);
    print(what + ", p50 (wall)", scrape.histogramQuantile("wavegate_planning_seconds", 0.5, rollout) * 1000,
        "ms over the run's " + (long) count + " reconciles (target <= " + (nodes > 10_000 ? 100 : 25) + " ms)");
    print(what + ", p99 (wall)", scrape.histogramQuantile("wavegate_planning_seconds", 0.99, rollout) * 1000,
        String.format("ms; max %.1f ms in the last 2 minutes", scrape.max("wavegate_planning_seconds_max", rollout)
            * 1000));
    print(what + ", p50 (CPU time)", scrape.histogramQuantile("wavegate_planning_cpu_seconds", 0.5, rollout) * 1000,
        String.format("ms; mean %.1f ms", 1000 * scrape.sum("wavegate_planning_cpu_seconds_sum", rollout)
            / scrape.sum("wavegate_planning_cpu_seconds_count", rollout)));
    print("nodes whose facts a reconcile of the " + nodes + "-node rollout derived again, mean",
        scrape.sum("wavegate_fleet_nodes_derived_total", rollout) / count,
        "(the rest kept from its last reconcile)");
  }

  private double insideReconcilesSeconds() {
    return operator.scrape().sum(RECONCILE_TIMER + "_sum");
  }

  private void printReconcileTimer() {
    Scrape scrape = operator.scrape();
    double count = scrape.sum(RECONCILE_TIMER + "_count");
    print("whole reconcile (planning + node writes + status write), JOSDK timer, mean",
        scrape.sum(RECONCILE_TIMER + "_sum") / count * 1000, "ms over " + (long) count + " reconciles, max "
            + Math.round(scrape.max(RECONCILE_TIMER + "_max", labels -> true) * 1000)
            + " ms in the last 2 minutes (the largest wave's writes)");
  }

  /**
   * A new revision whose canary reboots once applied; returns the ms from the reboot to the first
   * agent watch seeing the revocation, and to the first per-node rollback write seen.
   */
  private double[] canaryBreach() throws Exception {
    String bad = publish();
    apply(CHANNEL, bad, "1h", "0s", Map.of(ReportingFleet.FLEET_LABEL, "true"));
    awaitWaveApplied(bad, 0);
    firstRollbackWriteNanos.set(0);
    fleet.resetReverts();
    long breach = System.nanoTime();
    fleet.reboot("canary-0");
    Rollouts.awaitPhase(client, CHANNEL, RolloutPhase.RolledBack, Duration.ofSeconds(120));
    return new double[] {(fleet.firstRevocationSeen() - breach) / 1e6, (firstRollbackWriteNanos.get() - breach) / 1e6};
  }

  /**
   * A new revision through every wave, baking in the broad one; once every node applied it, one broad
   * node reboots. Prints when the nodes were back on the stable revision (stand-ins and real agents)
   * beside when the operator's per-node writes were done; returns the ms until the last node was back.
   */
  private double broadBreach(int nodes) throws Exception {
    String bad = publish();
    apply(CHANNEL, bad, "0s", "1h", Map.of(ReportingFleet.FLEET_LABEL, "true"));
    awaitWaveApplied(bad, 2);
    fleet.resetReverts();
    firstRollbackWriteNanos.set(0);
    lastRollbackWriteNanos.set(0);
    long held = fleet.holding(CHANNEL, bad) + realAgents.nodes().size();
    long breach = System.nanoTime();
    fleet.reboot("broad-0");
    Map<String, Long> agentFiles = realAgents.awaitFiles(CHANNEL, FILE, published.get(stable), 30_000);
    Rollouts.awaitPhase(client, CHANNEL, RolloutPhase.RolledBack, Duration.ofSeconds(300));
    List<Double> back = new ArrayList<>();
    fleet.reverts(CHANNEL, false).values().forEach(at -> back.add((at - breach) / 1e6));
    int byRevocation = back.size() + agentFiles.size();
    fleet.reverts(CHANNEL, true).values().forEach(at -> back.add((at - breach) / 1e6));
    agentFiles.values().forEach(at -> back.add((at - breach) / 1e6));
    back.sort(Double::compare);
    double writesDone = (lastRollbackWriteNanos.get() - breach) / 1e6;
    List<Double> agents = agentFiles.values().stream().map(at -> (at - breach) / 1e6).sorted().toList();
    print("  broad-wave breach: nodes back on the stable revision (of the " + held + " holding the bad one)",
        back.size(), String.format(
        "nodes (%d by the revocation); p50 %.0f ms, p99 %.0f ms, last %.0f ms; real agents' files %s ms; per-node"
            + " rollback writes done at %.0f ms", byRevocation, percentile(back, 0.5), percentile(back, 0.99),
        back.get(back.size() - 1),
        agents.stream().map(a -> String.format("%.0f", a)).toList(), writesDone));
    return back.get(back.size() - 1);
  }

  private void onAssignment(String channel, String node, Assignment assignment) {
    if (CHANNEL.equals(channel) && stable != null && assignment.revision().equals(stable)) {
      long now = System.nanoTime();
      firstRollbackWriteNanos.compareAndSet(0, now);
      lastRollbackWriteNanos.set(now);
    }
  }

  /** Waits until every node of wave {@code index} applied {@code digest} and the wave bakes. */
  private void awaitWaveApplied(String digest, int index) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
    while (System.nanoTime() < deadline) {
      ContentRolloutStatus status = client.resources(ContentRollout.class).withName(CHANNEL).get().getStatus();
      if (status != null && digest.equals(status.getRevisionDigest()) && status.getWaves() != null
          && status.getWaves().size() > index && status.getWaves().get(index).getUpdated() != null
          && status.getWaves().get(index).getUpdated().equals(status.getWaves().get(index).getNodes())
          && "Baking".equals(status.getWaves().get(index).getPhase())) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("wave " + index + " did not apply " + digest);
  }

  private String publish() {
    version++;
    byte[] bytes = ("rules revision " + version + "\n").repeat(100).getBytes(StandardCharsets.UTF_8);
    String digest = Digests.sha256Hex(bytes);
    published.put(digest, bytes);
    client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName(contentName(digest))
        .withNamespace(NS).endMetadata().addToBinaryData(FILE, Base64.getEncoder().encodeToString(bytes))
        .build()).create();
    return digest;
  }

  private static String contentName(String digest) {
    return "content-" + digest.substring(0, 12);
  }

  private void apply(String name, String digest, String canaryBake, String broadBake, Map<String, String> nodeSelector) {
    ContentRolloutSpec spec = Rollouts.overPools(digest, new KeyRef(NS, contentName(digest), FILE), canaryBake,
        nodeSelector);
    spec.getStrategy().getWaves().get(2).setBakeTime(broadBake);
    Rollouts.apply(client, name, spec);
  }

  private double nodeWrites() {
    return operator.scrape().sum("wavegate_node_writes_total");
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static double percentile(List<Double> sorted, double p) {
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)));
  }

  private static String seconds(long since) {
    return String.format("%.1f", (System.nanoTime() - since) / 1e9);
  }

  private void print(String what, double value, String unit) {
    out.printf("[figure] %-100s %10.1f %s%n", what, value, unit);
  }
}
