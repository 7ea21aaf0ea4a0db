package io.wavegate.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WavePlannerTest {

  private static final String POOL = "wavegate.io/pool";

  @Test
  void nodesGoToTheWaveOfTheirPool() {
    WavePlan plan = WavePlanner.plan("ch", POOL, threeWaves(null),
        fleet(pool("canary", 2), pool("early", 3), pool("broad", 5)));
    assertThat(plan.members().get(0)).containsExactly("canary-0", "canary-1");
    assertThat(plan.members().get(1)).hasSize(3).allMatch(n -> n.startsWith("early"));
    assertThat(plan.members().get(2)).hasSize(5).allMatch(n -> n.startsWith("broad"));
    assertThat(plan.unplanned()).isEmpty();
  }

  @Test
  void anEmptyPoolGivesAnEmptyWave() {
    WavePlan plan = WavePlanner.plan("ch", POOL, threeWaves(null), fleet(pool("early", 2), pool("broad", 2)));
    assertThat(plan.members().get(0)).isEmpty();
    assertThat(plan.members().get(1)).hasSize(2);
  }

  @Test
  void percentRoundsUpSoACanaryIsNeverEmpty() {
    List<WaveRule> waves = List.of(rule("canary", Set.of("broad"), new IntOrString("5%")), rule("rest", Set.of("broad"), null));
    WavePlan plan = WavePlanner.plan("ch", POOL, waves, fleet(pool("broad", 30)));
    assertThat(plan.members().get(0)).hasSize(2); // 5% of 30 = 1.5 -> 2
    assertThat(plan.members().get(1)).hasSize(28);
    assertThat(CountOrPercent.of(new IntOrString("0%"), 0).pickOf(30)).isZero();
    assertThat(CountOrPercent.of(new IntOrString("100%"), 0).pickOf(30)).isEqualTo(30);
    assertThat(CountOrPercent.of(new IntOrString(50), 0).pickOf(30)).isEqualTo(30);
  }

  @Test
  void toleratedFailuresRoundDown() {
    assertThat(CountOrPercent.of(new IntOrString("2%"), 0).tolerateOf(49)).isZero();
    assertThat(CountOrPercent.of(new IntOrString("2%"), 0).tolerateOf(100)).isEqualTo(2);
    assertThat(CountOrPercent.of(null, 0).tolerateOf(100)).isZero();
  }

  @Test
  void cappedOutNodesStayCandidatesForLaterWaves() {
    List<WaveRule> waves = List.of(rule("canary", Set.of("canary"), new IntOrString(1)),
        new WaveRule("rest", Set.of(), new LabelSelectorBuilder().addNewMatchExpression().withKey(POOL)
            .withOperator("Exists").endMatchExpression().build(), CountOrPercent.of(null, Integer.MAX_VALUE)));
    WavePlan plan = WavePlanner.plan("ch", POOL, waves, fleet(pool("canary", 3), pool("broad", 2)));
    assertThat(plan.members().get(0)).hasSize(1);
    assertThat(plan.members().get(1)).hasSize(4);
  }

  @Test
  void overlappingSelectorsGiveEachNodeToTheFirstWave() {
    List<WaveRule> waves = List.of(
        new WaveRule("a", Set.of(), new LabelSelectorBuilder().addToMatchLabels("zone", "z1").build(), all()),
        new WaveRule("b", Set.of(), new LabelSelectorBuilder().addToMatchLabels("os", "linux").build(), all()));
    List<PlanNode> fleet = List.of(
        new PlanNode("n1", Map.of("zone", "z1", "os", "linux"), Optional.empty()),
        new PlanNode("n2", Map.of("zone", "z2", "os", "linux"), Optional.empty()),
        new PlanNode("n3", Map.of("zone", "z3"), Optional.empty()));
    WavePlan plan = WavePlanner.plan("ch", POOL, waves, fleet);
    assertThat(plan.members()).containsExactly(List.of("n1"), List.of("n2"));
    assertThat(plan.unplanned()).containsExactly("n3");
  }

  @Test
  void thePickIsStableAcrossRunsAndDoesNotMoveWhenOtherNodesJoinOrLeave() {
    List<WaveRule> waves = List.of(rule("canary", Set.of("broad"), new IntOrString(3)), rule("rest", Set.of("broad"), null));
    List<PlanNode> fleet = fleet(pool("broad", 20));
    List<String> canary = WavePlanner.plan("ch", POOL, waves, fleet).members().get(0);
    assertThat(WavePlanner.plan("ch", POOL, waves, fleet).members().get(0)).isEqualTo(canary);

    List<PlanNode> grown = new ArrayList<>(fleet);
    grown.add(new PlanNode("late-joiner", Map.of(POOL, "broad"), Optional.empty()));
    List<String> canaryAfterJoin = WavePlanner.plan("ch", POOL, waves, grown).members().get(0);
    assertThat(canaryAfterJoin).hasSize(3);
    assertThat(canaryAfterJoin.stream().filter(canary::contains).count()).isGreaterThanOrEqualTo(2);

    List<PlanNode> shrunk = fleet.stream().filter(n -> !canary.contains(n.name()) || n.name().equals(canary.get(0))).toList();
    assertThat(WavePlanner.plan("ch", POOL, waves, shrunk).members().get(0)).contains(canary.get(0)).hasSize(3);

    assertThat(WavePlanner.plan("other-channel", POOL, waves, fleet).members().get(0)).isNotEqualTo(canary);
  }

  @Test
  void assignedMembershipIsStickyEvenWhenLabelsChange() {
    List<PlanNode> fleet = new ArrayList<>(fleet(pool("canary", 2), pool("broad", 2)));
    fleet.set(0, new PlanNode("canary-0", Map.of(POOL, "broad"), Optional.of("canary")));
    fleet.set(2, new PlanNode("broad-0", Map.of(POOL, "canary"), Optional.of("broad")));
    WavePlan plan = WavePlanner.plan("ch", POOL, threeWaves(null), fleet);
    assertThat(plan.waveOf("canary-0")).contains(0);
    assertThat(plan.waveOf("broad-0")).contains(2);
  }

  @Test
  void stickyMembersCountAgainstTheCap() {
    List<PlanNode> fleet = new ArrayList<>(fleet(pool("canary", 5)));
    fleet.set(4, new PlanNode("canary-4", Map.of(POOL, "canary"), Optional.of("canary")));
    WavePlan plan = WavePlanner.plan("ch", POOL, List.of(rule("canary", Set.of("canary"), new IntOrString(2))), fleet);
    assertThat(plan.members().get(0)).hasSize(2).contains("canary-4");
  }

  private static List<WaveRule> threeWaves(IntOrString canaryMax) {
    return List.of(rule("canary", Set.of("canary"), canaryMax), rule("early", Set.of("early"), null),
        rule("broad", Set.of("broad"), null));
  }

  private static WaveRule rule(String name, Set<String> pools, IntOrString maxNodes) {
    return new WaveRule(name, pools, null, CountOrPercent.of(maxNodes, Integer.MAX_VALUE));
  }

  private static CountOrPercent all() {
    return CountOrPercent.of(null, Integer.MAX_VALUE);
  }

  @SafeVarargs
  private static List<PlanNode> fleet(List<PlanNode>... pools) {
    List<PlanNode> all = new ArrayList<>();
    for (List<PlanNode> pool : pools) {
      all.addAll(pool);
    }
    return all;
  }

  private static List<PlanNode> pool(String pool, int size) {
    return IntStream.range(0, size)
        .mapToObj(i -> new PlanNode(pool + "-" + i, Map.of(POOL, pool), Optional.empty())).toList();
  }
}
