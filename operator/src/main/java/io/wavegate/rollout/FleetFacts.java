package io.wavegate.rollout;

import io.wavegate.plan.WavePlan;
import io.wavegate.plan.WaveRule;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The fleet one decision sees, as a value: the rollout's nodes, by name too, the nodes whose assignment is
 * still only in contract v1 keys, and the wave plan over them. Made by {@link ChannelFleet}, which keeps
 * the facts up to date node by node from informer events, or from a list ({@link #of}) in tests and
 * benchmarks.
 *
 * <p>The plan is a pure function of the nodes' plan inputs (membership, labels, the wave of their
 * assignment), the revision and the wave rules. {@link ChannelFleet} knows when the first of these last
 * changed, so a decision whose nodes only reported something reuses the plan of the decision before.
 * A value made by {@link ChannelFleet} is valid for the reconcile that made it: the next refresh of the
 * same rollout changes it.
 */
public final class FleetFacts {

  /** What a wave plan is computed from, besides the nodes' plan inputs. */
  record PlanKey(String revision, String poolLabel, List<WaveRule> rules) {}

  /** Plans a fleet, or returns the plan made for the same key while the nodes' plan inputs did not change. */
  interface Plans {

    WavePlan plan(PlanKey key, Supplier<WavePlan> planner);

    Plans NONE = (key, planner) -> planner.get();
  }

  private final List<FleetNode> nodes;
  private final Map<String, FleetNode> byName;
  private final Set<String> unmoved;
  private final Plans plans;

  FleetFacts(List<FleetNode> nodes, Map<String, FleetNode> byName, Set<String> unmoved, Plans plans) {
    this.nodes = nodes;
    this.byName = byName;
    this.unmoved = unmoved;
    this.plans = plans;
  }

  /** A fleet from a list, planned afresh in every decision: the decider's tests and the pure benchmark. */
  public static FleetFacts of(List<FleetNode> nodes) {
    Map<String, FleetNode> byName = new LinkedHashMap<>();
    nodes.forEach(n -> byName.put(n.name(), n));
    return new FleetFacts(List.copyOf(nodes), Collections.unmodifiableMap(byName), Set.of(), Plans.NONE);
  }

  public static FleetFacts of(List<FleetNode> nodes, Set<String> unmoved) {
    FleetFacts facts = of(nodes);
    return new FleetFacts(facts.nodes, facts.byName, Set.copyOf(unmoved), Plans.NONE);
  }

  public List<FleetNode> nodes() {
    return nodes;
  }

  public Map<String, FleetNode> byName() {
    return byName;
  }

  /** Nodes whose assignment for the channel is still only in contract v1 keys on the Node ({@link ContractV1}). */
  public Set<String> unmoved() {
    return unmoved;
  }

  WavePlan plan(PlanKey key, Supplier<WavePlan> planner) {
    return plans.plan(key, planner);
  }
}
