package io.wavegate.demo;

import io.wavegate.contract.Digests;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wavegate.WavegateOperator;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.ContentSource;
import io.wavegate.api.ValidationSpec;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.KeyRef;
import io.wavegate.api.RolloutPhase;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.NodeContents;
import io.wavegate.realnode.RealNodeCluster;
import io.wavegate.sim.Chart;
import io.wavegate.sim.ClusterSetup;
import io.wavegate.sim.OnChange;
import io.wavegate.sim.OciArtifacts;
import io.wavegate.sim.RegistryServer;
import io.wavegate.sim.Rollouts;
import io.wavegate.sim.SimulatedFleet;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The one-command demo: an embedded API server, the operator, a simulated fleet of 30 nodes running
 * the real agent, and three rollouts: good content through every wave, an all-zero channel file
 * refused at the gate, and content that crashes nodes on load, stopped in the canary.
 *
 * <p>Options: {@code --short} (short bakes, for CI), {@code --keep} (leave the cluster running and
 * print its kubeconfig path), {@code --oci} (a fourth rollout: a 16 MiB channel file from an OCI
 * registry on loopback, pulled by digest).
 */
public final class Demo {

  static final String NS = "wavegate-system";
  static final String CHANNEL = "sensor-channel-291";
  static final String FILE = "C-00000291.sys";
  static final Duration PHASE_TIMEOUT = Duration.ofMinutes(3);
  static final long OCI_BYTES = 16L * 1024 * 1024;

  private final PrintStream out;
  private final boolean shortMode;
  private final KubernetesClient client;
  private final SimulatedFleet fleet;
  private final List<String[]> summary = new ArrayList<>();
  private final Set<String> seenEvents = new HashSet<>();
  private final boolean realNode;
  private final Path realNodeFile;
  private RegistryServer registry;

  Demo(KubernetesClient client, SimulatedFleet fleet, PrintStream out, boolean shortMode) {
    this(client, fleet, out, shortMode, null);
  }

  /** With {@code realNodeFile}: the real node's copy of the channel file, where a real consumer crashes on v35. */
  private Demo(KubernetesClient client, SimulatedFleet fleet, PrintStream out, boolean shortMode, Path realNodeFile) {
    this.client = client;
    this.fleet = fleet;
    this.out = out;
    this.shortMode = shortMode;
    this.realNode = realNodeFile != null;
    this.realNodeFile = realNodeFile;
  }

  public static void main(String[] args) throws Exception {
    System.exit(run(List.of(args), System.out));
  }

  /** Runs the demo; returns 0 when every rollout ended as it should. */
  public static int run(List<String> args, PrintStream out) throws Exception {
    boolean shortMode = args.contains("--short");
    boolean keep = args.contains("--keep");
    if (args.contains("--real-node")) {
      return runOnRealNode(shortMode, keep, out);
    }
    out.println("== starting an embedded Kubernetes API server " + System.getProperty("wavegate.k8s.version", "1.34.4")
        + " (kube-apiserver + etcd)");
    KubeAPIServer server = ClusterSetup.startApiServer();
    String kubeconfig = server.getKubeConfigYaml();
    int exit;
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build()) {
      out.println("== installing the chart (helm template, applied server-side): CRDs, RBAC, admission policies");
      Chart.install(client);
      out.println("== starting the wavegate operator and a simulated fleet of 30 nodes (real agent per node), each"
          + " with a token of the chart's service accounts");
      Map<String, Integer> pools = new LinkedHashMap<>();
      pools.put("canary", 3);
      pools.put("early", 9);
      pools.put("broad", 18);
      // closed in reverse: the operator stops (its reconciles finished) before the fleet goes and the client closes
      try (SimulatedFleet fleet = new SimulatedFleet(client, "demo", pools, node -> Chart.asAgentOn(client, node));
          WavegateOperator operator = Chart.startOperator(client,
              Map.of("WAVEGATE_LEADER_ELECTION", "false"), new SimpleMeterRegistry())) {
        Demo demo = new Demo(client, fleet, out, shortMode);
        if (args.contains("--oci")) {
          out.println("== starting an OCI registry on loopback (CNCF distribution) for the fourth rollout");
          demo.registry = new RegistryServer(false).start();
        }
        try {
          exit = demo.play();
        } finally {
          if (demo.registry != null && !keep) {
            demo.registry.close();
          }
        }
        if (keep) {
          Path file = Files.createTempFile("wavegate-demo-kubeconfig", ".yaml");
          Files.writeString(file, kubeconfig);
          out.println();
          out.println("The cluster keeps running. Try:");
          out.println("  export KUBECONFIG=" + file);
          out.println("  kubectl get contentrollouts");
          out.println("  kubectl describe contentrollout " + CHANNEL);
          out.println("  kubectl get nodecontents          # per node: channels, assigned and reported revisions, state");
          out.println("Press Ctrl-C to stop.");
          Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "wavegate-demo-stop"));
          Thread.currentThread().join();
        }
      }
    } finally {
      server.stop();
    }
    return exit;
  }

  /**
   * The three rollouts on the real-node tier (scripts/real-node.sh): wavegate installed with helm, its
   * operator and agent as pods on a kubelet of this machine, a sensor pod there that crashes on
   * bad content, and 29 kwok nodes whose agents run in this process.
   */
  static int runOnRealNode(boolean shortMode, boolean keep, PrintStream out) throws Exception {
    java.util.Optional<String> unavailable = RealNodeCluster.unavailable();
    if (unavailable.isPresent()) {
      out.println("DEMO SKIPPED: " + unavailable.get());
      return 3;
    }
    out.println("== starting a single-node cluster on this machine: kubelet, containerd, runc, control plane,"
        + " local registry, kwok");
    if (keep) {
      System.setProperty("wavegate.realNode.keep", "true");
    }
    try (RealNodeCluster cluster = RealNodeCluster.start(out, null)) {
      KubernetesClient client = cluster.admin();
      cluster.labelNode(SimulatedFleet.POOL_LABEL, "canary");
      out.println("== helm install wavegate helm/wavegate -n wavegate-system --create-namespace (images from the"
          + " local registry)");
      var install = cluster.helmInstall();
      if (install.exitCode() != 0) {
        out.println(install.output());
        return 1;
      }
      var operator = cluster.awaitReadyPod("operator", null);
      var agent = cluster.awaitReadyPod("agent", null);
      out.printf("   pods on %s: %s Ready in %d s, %s Ready in %d s%n", RealNodeCluster.NODE,
          operator.getMetadata().getName(), RealNodeCluster.secondsToReady(operator), agent.getMetadata().getName(),
          RealNodeCluster.secondsToReady(agent));
      Map<String, Integer> pools = new LinkedHashMap<>();
      pools.put("canary", 2);
      pools.put("early", 9);
      pools.put("broad", 18);
      out.println("== 29 kwok nodes beside it (canary 2, early 9, broad 18), the real node in canary; a sensor pod"
          + " on the real node loads the channel file");
      try (SimulatedFleet fleet = new SimulatedFleet(client, "kwok", pools, node -> Chart.asAgentOn(client, node),
          SimulatedFleet.NodeMarks.KWOK)) {
        fleet.watch(RealNodeCluster.NODE);
        cluster.startConsumer("sensors", CHANNEL, FILE);
        int exit = new Demo(client, fleet, out, shortMode, cluster.nodePath(CHANNEL, FILE)).play();
        if (keep) {
          out.println();
          out.println("The cluster keeps running: export KUBECONFIG=" + cluster.kubeconfig());
          out.println("  kubectl get pods -A -o wide; kubectl get contentrollouts; scripts/real-node.sh down to stop");
        }
        return exit;
      }
    }
  }

  int play() throws Exception {
    String good = publish("v33", Rollouts.channelFile(33, ""));
    rollout("1. a good revision", good, "v33", RolloutPhase.Succeeded);

    String zeros = publish("v34-zero", new byte[42 * 1024]);
    rollout("2. a 42 KB channel file of zero bytes (with its correct digest)", zeros, "v34-zero", RolloutPhase.Rejected);

    if (realNode) {
      byte[] crashingFile = Rollouts.channelFile(35, RealNodeCluster.CRASH_MARKER);
      String crashing = publish("v35", crashingFile);
      rollout("3. a revision that crashes the sensor on the real node", crashing, "v35", RolloutPhase.RolledBack);
      out.println("   the real node's file: " + Digests.shortRevision(Digests.sha256Hex(
          Files.readAllBytes(realNodeFile))) + " (the stable revision, put back by the agent pod)");
    } else {
      byte[] panicking = Rollouts.channelFile(35, "");
      String crashing = Digests.sha256Hex(panicking);
      try (SharedIndexInformer<NodeContent> panic = kernelPanicOnLoad(crashing)) {
        publish("v35", panicking);
        rollout("3. a revision that crashes nodes on load", crashing, "v35", RolloutPhase.RolledBack);
      }
    }

    if (registry != null) {
      Path file = Files.createTempFile("wavegate-demo-", ".sys");
      try {
        byte[] chunk = Rollouts.channelFile(36, "");
        try (var stream = Files.newOutputStream(file)) {
          for (long written = 0; written < OCI_BYTES; written += chunk.length) {
            stream.write(chunk, 0, (int) Math.min(chunk.length, OCI_BYTES - written));
          }
        }
        String reference = new OciArtifacts(registry).push("sensor/channel-291", "v36", file);
        out.println("   pushed " + FILE + " (" + OCI_BYTES / (1024 * 1024) + " MiB) to " + reference);
        ContentSource oci = Rollouts.oci(reference, null);
        rollout("4. a " + OCI_BYTES / (1024 * 1024) + " MiB channel file from an OCI registry, pulled by digest",
            Digests.sha256Hex(file), oci, RolloutPhase.Succeeded);
      } finally {
        Files.deleteIfExists(file);
      }
    }

    out.println();
    out.println("== summary");
    String format = "%-62s %-13s %-11s %-8s %s%n";
    out.printf(format, "ROLLOUT", "REVISION", "OUTCOME", "TOUCHED", "RESULT");
    boolean allAsExpected = true;
    for (String[] row : summary) {
      out.printf(format, (Object[]) row);
      allAsExpected &= row[4].startsWith("as expected");
    }
    out.println(allAsExpected ? "DEMO PASSED: every rollout ended as it should" : "DEMO FAILED");
    return allAsExpected ? 0 : 1;
  }

  private void rollout(String title, String digest, String source, RolloutPhase expected) throws Exception {
    ContentSource configMap = new ContentSource();
    configMap.setConfigMapRef(new KeyRef(NS, "channel-291-" + source, FILE));
    rollout(title, digest, configMap, expected);
  }

  private void rollout(String title, String digest, ContentSource source, RolloutPhase expected) throws Exception {
    out.println();
    out.println("== " + title + ": revision " + Digests.shortRevision(digest));
    apply(digest, source);
    Instant deadline = Instant.now().plus(PHASE_TIMEOUT);
    String last = "";
    ContentRolloutStatus status = null;
    while (Instant.now().isBefore(deadline)) {
      ContentRollout current = client.resources(ContentRollout.class).withName(CHANNEL).get();
      status = current.getStatus();
      printNewEvents();
      if (status != null && digest.equals(status.getRevisionDigest())) {
        String line = String.format("   phase %-11s wave %-7s nodes %-6s stable %s", status.getPhase(),
            status.getCurrentWaveName() == null ? "-" : status.getCurrentWaveName(), status.getNodes(),
            status.getStableRevision() == null ? "-" : status.getStableRevision());
        if (!line.equals(last)) {
          out.println(line);
          last = line;
        }
        if (terminal(status.getPhase())) {
          break;
        }
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
    printNewEvents();
    List<String> nodes = fleet.everyNode();
    int canary = client.nodes().withLabel(SimulatedFleet.POOL_LABEL, "canary").list().getItems().size();
    long touched = nodes.stream().filter(n -> fleet.desiredHistory(n, CHANNEL).contains(digest)).count();
    RolloutPhase phase = status == null ? null : status.getPhase();
    String outcome = phase == null ? "none" : phase.name();
    if (phase == RolloutPhase.Rejected || phase == RolloutPhase.RolledBack) {
      String reason = status.getConditions().stream()
          .filter(c -> c.getType().equals(phase == RolloutPhase.Rejected ? "Validated" : "Stalled")).findFirst()
          .map(io.fabric8.kubernetes.api.model.Condition::getReason).orElse("");
      out.println("   why: " + reason);
    }
    if (expected == RolloutPhase.RolledBack) {
      out.println("   blast radius: " + touched + " of " + nodes.size() + " nodes ever received it"
          + " (the canary pool has " + canary + ")");
    }
    if (expected == RolloutPhase.Rejected) {
      out.println("   nodes touched: " + touched);
    }
    boolean asExpected = phase == expected && switch (expected) {
      case Succeeded -> touched == nodes.size();
      case Rejected -> touched == 0;
      default -> touched <= canary;
    };
    summary.add(new String[] {title.substring(3), Digests.shortRevision(digest), outcome,
        touched + "/" + nodes.size(), asExpected ? "as expected" : "UNEXPECTED (wanted " + expected + ")"});
  }

  private static boolean terminal(RolloutPhase phase) {
    return phase == RolloutPhase.Succeeded || phase == RolloutPhase.Rejected || phase == RolloutPhase.RolledBack;
  }

  private void printNewEvents() {
    List<Event> events = client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> CHANNEL.equals(e.getInvolvedObject().getName()))
        .sorted(java.util.Comparator.comparing(e -> Long.parseLong(e.getMetadata().getResourceVersion())))
        .toList();
    for (Event event : events) {
      if (seenEvents.add(event.getMetadata().getName())) {
        out.println("   " + ("Warning".equals(event.getType()) ? "! " : "> ") + event.getReason() + ": " + event.getMessage());
      }
    }
  }

  /** The simulated consequence of content that crashes on load: a node that applies it panics and reboots. */
  private SharedIndexInformer<NodeContent> kernelPanicOnLoad(String digest) {
    Set<String> panicked = new HashSet<>();
    return client.resources(NodeContent.class).inform(OnChange.observe(content -> {
      boolean loaded = NodeContents.report(content, CHANNEL).map(r -> r.applied(digest)).orElse(false);
      String node = content.getMetadata().getName();
      if (loaded && fleet.nodes().contains(node) && panicked.add(node)) {
        fleet.reboot(node);
      }
    }));
  }

  private String publish(String name, byte[] bytes) {
    return Rollouts.publish(client, NS, "channel-291-" + name, FILE, bytes);
  }

  /** The spec as a platform team writes it, replacing the one before (the source may change between revisions). */
  private void apply(String digest, ContentSource source) {
    String canaryBake = realNode ? RealNodeCluster.CANARY_BAKE : shortMode ? "1s" : "5s";
    ContentRolloutSpec spec = Rollouts.overPools(digest, source, canaryBake, null);
    spec.getContent().setFileName(FILE);
    spec.getStrategy().getWaves().get(1).setBakeTime(shortMode ? "1s" : "3s");
    spec.getStrategy().getHealthGates().setProgressDeadline("2m");
    ValidationSpec validation = new ValidationSpec();
    validation.setMaxBytes(2 * OCI_BYTES);
    spec.setValidation(validation);
    Rollouts.replace(client, CHANNEL, spec);
  }

}
