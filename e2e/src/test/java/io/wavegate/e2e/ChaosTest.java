package io.wavegate.e2e;

import io.wavegate.contract.Digests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wavegate.WavegateOperator;
import io.wavegate.agent.ContentStore;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.KeyRef;
import io.wavegate.api.RolloutPhase;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.e2e.support.AuditLog;
import io.wavegate.sim.Chart;
import io.wavegate.e2e.support.FleetInvariants;
import io.wavegate.sim.Rollouts;
import io.wavegate.sim.SimulatedFleet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded, randomized fault injection on a real API server with the real agents: the operator killed
 * and restarted, the kube-apiserver restarted under it, nodes going NotReady, rebooting, deleted and
 * joining, agents going silent, and spec edits (new content, content the gate must refuse, pause,
 * abort, promote). {@link FleetInvariants} watches every node write the whole time. After the
 * faults stop the rollout must settle and every agent's file must match its assignment.
 *
 * <p>The suite runs a few seeds; {@code scripts/chaos-soak.sh SEEDS FAULTS} runs many and prints
 * the figures (docs/chaos.md).
 */
class ChaosTest {

  static final String NS = Chart.NAMESPACE;
  static final String FILE = "C-00000291.sys";

  enum Fault {
    OperatorRestart(3), ApiServerRestart(1), NodeNotReady(4), NodeReady(4), NodeReboot(2), NodeDeleted(2),
    NodeJoined(2), AgentSilent(2), AgentBack(2), AgentDiskFault(2), NewRevision(3), GateFailingRevision(1), Pause(1), Resume(2),
    Abort(1), Promote(2);

    final int weight;

    Fault(int weight) {
      this.weight = weight;
    }
  }

  /**
   * One fault restarts the API server: until its authorizer has synced RBAC again it refuses the
   * watches and reads that the operator's and the agents' informers re-establish at once (they retry).
   */
  @RegisterExtension
  static final ApiServer api = new ApiServer(List.of(new AuditLog.ExpectedRefusal("*", "watch", "*"),
      new AuditLog.ExpectedRefusal("*", "list", "*"), new AuditLog.ExpectedRefusal("*", "get", "*")));

  private static KubernetesClient client;
  private static final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
  private static final Map<Long, String> outcomes = new LinkedHashMap<>();
  private static int violations;
  private static double worstBreachToActionMs;
  private static int breaches;

  @BeforeAll
  static void installChart() {
    client = api.client();
    Chart.install(client);
  }

  @AfterAll
  static void printFigures() {
    System.out.printf("[chaos] seeds %d: %s%n", outcomes.size(), outcomes);
    System.out.printf("[chaos] faults injected: %s (total %d)%n", injected,
        injected.values().stream().mapToInt(Integer::intValue).sum());
    System.out.printf("[chaos] invariant violations: %d%n", violations);
    System.out.printf("[chaos] breaches acted on: %d, worst breach-to-action: %.0f ms%n", breaches,
        worstBreachToActionMs);
  }

  static Stream<Long> seeds() {
    long first = Long.getLong("wavegate.chaos.firstSeed", 1);
    return LongStream.range(first, first + Long.getLong("wavegate.chaos.seeds", 3)).boxed();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void noFaultBreaksTheInvariantsAndTheRolloutSettles(long seed) throws Exception {
    int faults = Integer.getInteger("wavegate.chaos.faults", 12);
    try (Run run = new Run(seed)) {
      run.start();
      for (int i = 0; i < faults; i++) {
        run.inject(run.pick());
        Thread.sleep(200 + run.random.nextInt(1000));
      }
      String outcome = run.healAndSettle();
      outcomes.put(seed, outcome);
      List<String> found = run.invariants.violations();
      violations += found.size();
      assertThat(found).as("invariant violations, seed " + seed).isEmpty();
    }
  }

  /** One seed's fleet, operator and faults. */
  private static final class Run implements AutoCloseable {

    final Random random;
    final String id;
    final SimulatedFleet fleet;
    final FleetInvariants invariants;
    WavegateOperator operator;
    SimpleMeterRegistry registry;
    int version;
    int joined;
    boolean paused;

    Run(long seed) {
      random = new Random(seed);
      id = "x" + seed + "-" + Long.toHexString(System.nanoTime() & 0xffff);
      Map<String, Integer> pools = new LinkedHashMap<>();
      pools.put("canary", 2);
      pools.put("early", 3);
      pools.put("broad", 4);
      fleet = new SimulatedFleet(client, id, pools, node -> Chart.asAgentOn(client, node));
      invariants = new FleetInvariants(client, id);
    }

    void start() {
      startOperator();
      Rollouts.apply(client, id, spec(publishGood()));
    }

    Fault pick() {
      int total = Stream.of(Fault.values()).mapToInt(f -> f.weight).sum();
      int roll = random.nextInt(total);
      for (Fault fault : Fault.values()) {
        roll -= fault.weight;
        if (roll < 0) {
          return fault;
        }
      }
      throw new IllegalStateException();
    }

    void inject(Fault fault) {
      injected.merge(fault, 1, Integer::sum);
      List<String> nodes = fleet.nodes();
      String node = nodes.isEmpty() ? null : nodes.get(random.nextInt(nodes.size()));
      switch (fault) {
        case OperatorRestart -> {
          stopOperator();
          sleep(random.nextInt(1500));
          startOperator();
        }
        case ApiServerRestart -> api.restartApiServer(Duration.ofMillis(500 + random.nextInt(1500)));
        case NodeNotReady -> fleet.setReady(node, false);
        case NodeReady -> fleet.setReady(node, true);
        case NodeReboot -> fleet.reboot(updatedNodeOr(node)); // a crash on the new content, mostly
        case NodeDeleted -> {
          if (nodes.size() > 5) {
            fleet.removeNode(node);
          }
        }
        case NodeJoined -> fleet.addNode(id + "-" + List.of("canary", "early", "broad").get(random.nextInt(3))
            + "-j" + joined++, List.of("canary", "early", "broad").get(random.nextInt(3)));
        case AgentSilent -> fleet.silence(node);
        case AgentBack -> fleet.revive(node);
        case AgentDiskFault -> fleet.breakDisk(node, id);
        case NewRevision -> Rollouts.apply(client, id, spec(publishGood()));
        case GateFailingRevision -> {
          String zeros = Rollouts.publish(client, NS, id + "-zeros-" + version++, FILE, new byte[4096 + version]);
          invariants.neverAssigned(zeros);
          Rollouts.apply(client, id, spec(zeros, id + "-zeros-" + (version - 1)));
        }
        case Pause -> setPaused(true);
        case Resume -> setPaused(false);
        case Abort -> Rollouts.annotate(client, id, "wavegate.io/abort");
        case Promote -> Rollouts.annotate(client, id, "wavegate.io/promote");
      }
    }

    /** A node that applied the revision in flight, when there is one, else the given node. */
    private String updatedNodeOr(String node) {
      ContentRolloutStatus status = Rollouts.status(client, id);
      if (status == null || status.getRevisionDigest() == null) {
        return node;
      }
      List<String> updated = fleet.nodes().stream().filter(n -> {
        AgentReport report = fleet.report(n, id);
        return report != null && report.applied(status.getRevisionDigest());
      }).toList();
      return updated.isEmpty() ? node : updated.get(random.nextInt(updated.size()));
    }

    /** The faults stop: every node Ready with its agent, the rollout unpaused; it must settle and the disks agree. */
    String healAndSettle() {
      for (String node : fleet.nodes()) {
        fleet.revive(node);
        fleet.healDisk(node, id);
        fleet.setReady(node, true);
      }
      setPaused(false);
      Set<RolloutPhase> settled = Set.of(RolloutPhase.Succeeded, RolloutPhase.RolledBack, RolloutPhase.Rejected,
          RolloutPhase.Halted);
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
        ContentRolloutStatus status = Rollouts.status(client, id);
        return status != null && settled.contains(status.getPhase()) && disksMatchAssignments();
      });
      collectBreachFigures();
      return Rollouts.status(client, id).getPhase().name();
    }

    /** Every node's file holds exactly its assigned revision (or there is none), and its agent says so. */
    boolean disksMatchAssignments() throws Exception {
      for (String node : fleet.nodes()) {
        Assignment assigned = io.wavegate.contract.NodeContents.assignment(fleet.content(node), id).orElse(null);
        AgentReport report = fleet.report(node, id);
        var current = new ContentStore(fleet.contentDir(node)).current(id);
        if (assigned == null) {
          if (current.isPresent() || report != null) {
            return false;
          }
          continue;
        }
        if (report == null || !report.applied(assigned.revision()) || current.isEmpty()) {
          return false;
        }
        String onDisk = Digests.sha256Hex(Files.readAllBytes(current.get().path()));
        if (!onDisk.equals(assigned.revision())) {
          return false;
        }
      }
      return true;
    }

    private String publishGood() {
      return Rollouts.publish(client, NS, id + "-v" + version++, FILE,
          ("rules v" + version + " of " + id + "\n").repeat(20).getBytes(StandardCharsets.UTF_8));
    }

    private ContentRolloutSpec spec(String digest) {
      return spec(digest, id + "-v" + (version - 1));
    }

    private ContentRolloutSpec spec(String digest, String contentName) {
      ContentRolloutSpec spec = Rollouts.overPools(digest, new KeyRef(NS, contentName, FILE), "1s",
          Map.of("fleet", id));
      spec.getStrategy().getHealthGates().setProgressDeadline("20s");
      spec.setPaused(paused);
      return spec;
    }

    private void setPaused(boolean value) {
      paused = value;
      client.resources(ContentRollout.class).withName(id).patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"spec\":{\"paused\":" + value + "}}");
    }

    private void startOperator() {
      registry = new SimpleMeterRegistry();
      operator = Chart.startOperator(client,
          Map.of("WAVEGATE_LEADER_ELECTION", "false", "WAVEGATE_NODE_WRITE_BATCH", "3"), registry);
    }

    private void stopOperator() {
      collectBreachFigures();
      operator.close();
    }

    private void collectBreachFigures() {
      Timer timer = registry.find("wavegate_breach_to_decision").timer();
      if (timer != null && timer.count() > 0) {
        breaches += (int) timer.count();
        double worst = timer.max(TimeUnit.MILLISECONDS);
        worstBreachToActionMs = Math.max(worstBreachToActionMs, worst);
        if (worst > 1000) {
          invariants.violation("a breach waited " + Math.round(worst) + " ms for its rollback decision (limit 1 s)");
        }
      }
      registry.clear();
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      operator.close();
      invariants.close();
      client.resources(ContentRollout.class).withName(id).delete();
      fleet.close();
    }
  }
}
