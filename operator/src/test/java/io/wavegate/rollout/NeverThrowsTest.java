package io.wavegate.rollout;

import io.wavegate.contract.NodeContents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.ContentSource;
import io.wavegate.api.ContentSpec;
import io.wavegate.api.HealthGates;
import io.wavegate.api.KeyRef;
import io.wavegate.contract.NodeContent;
import io.wavegate.api.RollbackPolicy;
import io.wavegate.api.StrategySpec;
import io.wavegate.api.WaveSpec;
import io.wavegate.delivery.NodeKeys;
import io.wavegate.validation.GateResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Optional;
import java.util.Set;
import io.wavegate.api.UpdateRing;
import io.wavegate.api.WindowType;
import io.wavegate.policy.UpdatePolicies;
import io.wavegate.policy.UpdatePolicy;
import io.wavegate.policy.Window;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property test: random specs (valid, odd and poison) and random fleets (nodes with odd labels,
 * corrupt keys, missing status; pods with odd states) fed to the event mappers, the spec check, the
 * fleet gathering, the planner, the health evaluator and the decider. None may throw, whatever the
 * input; and over a run of decisions no node outside a started wave is given the new revision.
 */
class NeverThrowsTest {

  private static final String[] OPERATORS = {"In", "NotIn", "Exists", "DoesNotExist", "Matches", "", null};
  private static final String[] AMOUNTS = {"0", "3", "50%", "100%", "150%", "-1", "two", "", "%"};
  private static final String[] DURATIONS = {"0s", "10m", "1h30m", "500ms", "ten", "", "10", null};
  private static final String[] POOLS = {"canary", "early", "broad", "", "odd pool"};
  private static final String CHANNEL = "sensor";

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void nothingThrowsAndNoUnstartedWaveGetsTheRevision(long seed) {
    Random random = new Random(seed);
    for (int round = 0; round < 150; round++) {
      ContentRollout rollout = rollout(random);
      List<Node> nodes = nodes(random);
      Map<String, NodeContent> contents = contents(random, nodes);
      List<Pod> pods = pods(random, nodes);
      assertThatCode(() -> {
        for (Node node : nodes) {
          ConcernedRollouts.concerns(node, contents.get(node.getMetadata().getName()), rollout);
        }
        for (NodeContent content : contents.values()) {
          ConcernedRollouts.concerns(content, rollout);
        }
        for (Pod pod : pods) {
          ConcernedRollouts.concerns(pod, rollout);
        }
      }).as("event mappers, seed %d round %d", seed, round).doesNotThrowAnyException();
      var problem = SpecCheck.problem(rollout.getSpec());
      if (problem.isPresent()) {
        assertThat(RolloutDecider.cannotEvaluate(RolloutState.INITIAL, "a".repeat(64), problem.get()).nodeWrites())
            .isEmpty();
        continue;
      }
      simulate(random, rollout, nodes, contents, pods, seed, round);
    }
  }

  /** A few decisions in a row, state fed back as the reconciler does, with random gates, actions and readiness. */
  private static void simulate(Random random, ContentRollout rollout, List<Node> nodes,
      Map<String, NodeContent> contents, List<Pod> pods, long seed, int round) {
    ContentRolloutSpec spec = rollout.getSpec();
    String digest = spec.getContent().getSha256();
    List<WaveDef> waves = WaveDefs.from(spec.getStrategy(), java.util.Map.of());
    RolloutState state = RolloutState.INITIAL;
    Instant now = Instant.parse("2026-11-27T12:00:00Z");
    List<FleetNode> fleet = FleetGatherer.gather(CHANNEL, spec, digest, nodes, contents, pods);
    for (int step = 0; step < 6; step++) {
      GateResult gate = switch (random.nextInt(4)) {
        case 0 -> GateResult.passed("ok");
        case 1 -> GateResult.rejected("ZeroFilled", "zeros");
        case 2 -> GateResult.pending("SourceNotFound", "later");
        default -> GateResult.notNeeded();
      };
      Actions actions = new Actions(random.nextInt(5) == 0, random.nextInt(9) == 0, random.nextInt(9) == 0);
      RolloutInput input = new RolloutInput(CHANNEL, 1, 1, digest, "wavegate-system", random.nextBoolean(), "5m",
          random.nextInt(6) == 0,
          random.nextBoolean() ? RollbackPolicy.Automatic : RollbackPolicy.Manual, StrategySpec.DEFAULT_POOL_LABEL, waves,
          state, gate, fleet, actions, now, List.of(), RolloutInput.NO_PULL_CAP,
          new UpdatePolicies(policies(random, now), StrategySpec.DEFAULT_POOL_LABEL, random.nextInt(4) == 0,
              Set.copyOf(state.failedRevisions()), now), List.of());
      RolloutDecision decision;
      try {
        decision = RolloutDecider.decide(input);
      } catch (RuntimeException e) {
        throw new AssertionError("decide threw at seed " + seed + " round " + round + " step " + step, e);
      }
      for (var write : decision.nodeWrites().entrySet()) {
        if (write.getValue().map(a -> a.revision().equals(digest)).orElse(false)) {
          int wave = decision.plan().waveOf(write.getKey()).orElseThrow();
          assertThat(decision.state().waves().get(wave).started())
              .as("seed %d round %d: %s given the revision in a wave not started", seed, round, write.getKey()).isTrue();
          assertThat(decision.holds()).as("seed %d round %d: %s given the revision while an update policy holds it",
              seed, round, write.getKey()).doesNotContainKey(write.getKey());
        }
      }
      state = decision.state();
      fleet = applyWrites(random, fleet, decision);
      now = now.plus(Duration.ofSeconds(random.nextInt(900)));
    }
  }

  /** The writes land; agents report (or fail) at random; nodes go up and down. */
  private static List<FleetNode> applyWrites(Random random, List<FleetNode> fleet, RolloutDecision decision) {
    List<FleetNode> next = new ArrayList<>();
    for (FleetNode node : fleet) {
      var assignment = decision.nodeWrites().containsKey(node.name()) ? decision.nodeWrites().get(node.name())
          : node.assignment();
      var report = assignment.map(a -> new io.wavegate.contract.AgentReport(a.revision(),
          random.nextInt(8) == 0 ? "Failed" : "Applied", null, null, "now"));
      boolean ready = random.nextInt(7) == 0 ? !node.ready() : node.ready();
      next.add(new FleetNode(node.name(), node.labels(), node.inFleet(), ready,
          random.nextInt(15) == 0 ? "rebooted" : node.bootId(), assignment, report, random.nextInt(10) == 0 ? 1 : 0));
    }
    return next;
  }

  private static ContentRollout rollout(Random random) {
    ContentSpec content = new ContentSpec();
    content.setSha256(random.nextInt(20) == 0 ? "not-hex" : "a".repeat(64));
    ContentSource source = new ContentSource();
    source.setConfigMapRef(new KeyRef(null, "c", "k"));
    content.setSource(source);
    StrategySpec strategy = new StrategySpec();
    List<WaveSpec> waves = new ArrayList<>();
    int count = random.nextInt(4);
    for (int i = 0; i < count; i++) {
      WaveSpec wave = new WaveSpec();
      wave.setName(random.nextInt(15) == 0 ? null : "w" + i);
      if (random.nextBoolean()) {
        wave.setPools(List.of(pick(random, POOLS)));
      } else {
        wave.setNodeSelector(selector(random));
      }
      wave.setMaxNodes(amount(random));
      wave.setMaxUnavailableNodes(amount(random));
      wave.setBakeTime(pick(random, DURATIONS));
      wave.setHealthGates(random.nextBoolean() ? null : gates(random));
      waves.add(wave);
    }
    strategy.setWaves(waves);
    strategy.setHealthGates(gates(random));
    strategy.setMaxUnavailableNodes(amount(random));
    ContentRolloutSpec spec = new ContentRolloutSpec();
    spec.setContent(content);
    spec.setStrategy(random.nextInt(20) == 0 ? null : strategy);
    spec.setNodeSelector(random.nextBoolean() ? null : selector(random));
    ContentRollout rollout = new ContentRollout();
    rollout.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(CHANNEL).build());
    rollout.setSpec(random.nextInt(30) == 0 ? null : spec);
    return rollout;
  }

  private static HealthGates gates(Random random) {
    HealthGates gates = new HealthGates();
    gates.setMaxUnreadyNodes(amount(random));
    gates.setMaxNodeReboots(amount(random));
    gates.setMaxCrashingPods(amount(random));
    gates.setMaxContentFailures(amount(random));
    gates.setProgressDeadline(pick(random, DURATIONS));
    gates.setCrashingPodSelector(random.nextBoolean() ? null : selector(random));
    return gates;
  }

  private static LabelSelector selector(Random random) {
    LabelSelector selector = new LabelSelector();
    if (random.nextBoolean()) {
      selector.setMatchLabels(Map.of("pool", pick(random, POOLS)));
    }
    List<LabelSelectorRequirement> expressions = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      List<String> values = random.nextBoolean() ? null : List.of(pick(random, POOLS));
      expressions.add(new LabelSelectorRequirement(random.nextInt(10) == 0 ? null : "pool", pick(random, OPERATORS),
          values));
    }
    selector.setMatchExpressions(random.nextInt(10) == 0 ? null : expressions);
    return selector;
  }

  private static IntOrString amount(Random random) {
    if (random.nextInt(4) == 0) {
      return null;
    }
    String text = pick(random, AMOUNTS);
    return random.nextBoolean() && text.matches("-?[0-9]+") ? new IntOrString(Integer.parseInt(text)) : new IntOrString(text);
  }

  private static List<Node> nodes(Random random) {
    List<Node> nodes = new ArrayList<>();
    for (int i = random.nextInt(12); i > 0; i--) {
      Map<String, String> labels = new HashMap<>();
      labels.put("wavegate.io/pool", pick(random, POOLS));
      if (random.nextBoolean()) {
        labels.put("pool", pick(random, POOLS));
      }
      Map<String, String> annotations = new HashMap<>();
      switch (random.nextInt(5)) {
        case 0 -> annotations.put(NodeKeys.desired(CHANNEL), "{not json");
        case 1 -> annotations.put(NodeKeys.desired(CHANNEL), "{\"revision\":\"" + "a".repeat(64)
            + "\",\"wave\":\"w0\",\"assignedAt\":\"yesterday\"}");
        case 2 -> annotations.put(NodeKeys.desired(CHANNEL), "{\"revision\":\"" + "a".repeat(64)
            + "\",\"wave\":\"w" + random.nextInt(4) + "\",\"ready\":true,\"assignedAt\":\"2026-11-27T11:00:00Z\"}");
        case 3 -> annotations.put(NodeKeys.reported(CHANNEL), "{\"state\":\"Applied\"}");
        default -> { }
      }
      NodeBuilder node = new NodeBuilder().withNewMetadata().withName(random.nextInt(25) == 0 ? null : "n" + i)
          .withLabels(labels).withAnnotations(annotations).endMetadata();
      if (random.nextInt(4) != 0) {
        node.withNewStatus().addNewCondition().withType("Ready").withStatus(random.nextBoolean() ? "True" : "Unknown")
            .endCondition().withNewNodeInfo().withBootID(random.nextInt(5) == 0 ? null : "boot-" + i).endNodeInfo()
            .endStatus();
      }
      nodes.add(node.build());
    }
    return nodes;
  }

  /** NodeContents for some nodes: well-formed, missing fields, a bad time, a report without revision. */
  private static Map<String, NodeContent> contents(Random random, List<Node> nodes) {
    Map<String, NodeContent> contents = new HashMap<>();
    for (Node node : nodes) {
      String name = node.getMetadata().getName();
      if (name == null || random.nextBoolean()) {
        continue;
      }
      NodeContent content = io.wavegate.contract.NodeContents.assignmentApply(name, null, CHANNEL,
          java.util.Optional.of(new io.wavegate.contract.Assignment(random.nextInt(5) == 0 ? null : "a".repeat(64),
              "w" + random.nextInt(4), "ns/s", null, random.nextBoolean(),
              random.nextInt(5) == 0 ? "later" : "2026-11-27T11:00:00Z")));
      if (random.nextBoolean()) {
        content.setStatus(io.wavegate.contract.NodeContents.reportApply(name, CHANNEL,
            new io.wavegate.contract.AgentReport(random.nextInt(5) == 0 ? null : "a".repeat(64),
                random.nextBoolean() ? "Applied" : "Failed", random.nextBoolean() ? "WriteError" : null, null, "t"))
            .getStatus());
      }
      contents.put(name, content);
    }
    return contents;
  }

  private static List<Pod> pods(Random random, List<Node> nodes) {
    List<Pod> pods = new ArrayList<>();
    for (Node node : nodes) {
      if (random.nextBoolean()) {
        continue;
      }
      PodBuilder pod = new PodBuilder().withNewMetadata().withName("p").withLabels(Map.of("app", "sensor"))
          .endMetadata().withNewSpec().withNodeName(node.getMetadata().getName()).endSpec();
      if (random.nextBoolean()) {
        pod.withNewStatus().addNewContainerStatus().withNewLastState().withNewTerminated()
            .withExitCode(random.nextBoolean() ? null : 139)
            .withFinishedAt(random.nextBoolean() ? "garbage" : "2026-11-27T12:30:00Z").endTerminated().endLastState()
            .endContainerStatus().endStatus();
      }
      pods.add(pod.build());
    }
    return pods;
  }

  /** Up to two update policies over random pools: any ring, delay, pin and windows. */
  private static List<UpdatePolicy> policies(Random random, Instant now) {
    List<UpdatePolicy> policies = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      List<Window> windows = new ArrayList<>();
      for (int w = random.nextInt(3); w > 0; w--) {
        windows.add(new Window(random.nextBoolean() ? WindowType.Allow : WindowType.Deny,
            java.util.EnumSet.allOf(java.time.DayOfWeek.class), java.time.LocalTime.of(random.nextInt(24), 0),
            java.time.LocalTime.of(random.nextInt(24), 30), java.time.ZoneId.of("Europe/Berlin")));
      }
      Optional<UpdatePolicy.Pin> pin = random.nextInt(3) == 0 ? Optional.of(new UpdatePolicy.Pin(
          random.nextBoolean() ? "a".repeat(64) : "f".repeat(64),
          Optional.of(now.plus(Duration.ofMinutes(random.nextInt(120)))))) : Optional.empty();
      policies.add(new UpdatePolicy("p" + i, random.nextInt(3), Set.of(pick(random, POOLS)), null, Set.of(), null,
          true, UpdateRing.values()[random.nextInt(UpdateRing.values().length)],
          Duration.ofMinutes(random.nextInt(120)), pin, windows, Duration.ofMinutes(random.nextInt(20)),
          Optional.empty(), Optional.empty()));
    }
    return policies;
  }

  private static String pick(Random random, String[] values) {
    return values[random.nextInt(values.length)];
  }
}
