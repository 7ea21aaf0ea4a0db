package io.wavegate.rollout;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.NodeContent;
import io.wavegate.plan.WavePlan;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One rollout's fleet, kept up to date node by node: each node's facts ({@link FleetGatherer#node}) are
 * derived again only when an informer event (or one of the operator's own writes) named the node, so a
 * reconcile caused by one node's report costs work for that node, not for the fleet. Every node is derived
 * afresh when what the facts depend on changes (the rollout's {@link FleetGatherer.Basis}: its channel,
 * node selector, crash selector and revision), on the rollout's first reconcile (after a restart too:
 * nothing here outlives the process), and every {@link #REBUILD_EVERY} as a safety net, as an informer's
 * resync is.
 *
 * <p>Marked from the informers' threads ({@link #changed}); read and updated only by the rollout's own
 * reconcile, which the framework never runs twice at once for one rollout.
 */
public final class ChannelFleet {

  /** A full rebuild this often, whatever the events said. */
  public static final Duration REBUILD_EVERY = Duration.ofMinutes(5);

  /** The cached objects one node's facts are derived from: the informers, with the operator's own writes. */
  public interface Source {

    List<Node> nodes();

    Optional<Node> node(String name);

    /** The node's NodeContent, as of the operator's own latest write to it; null: none. */
    NodeContent content(String name);

    List<Pod> podsOn(String node);
  }

  private final Set<String> changed = ConcurrentHashMap.newKeySet();
  private final Map<String, FleetNode> nodes = new HashMap<>();
  private final Set<String> unmoved = new HashSet<>();
  private FleetGatherer.Basis basis;
  private Instant builtAt;
  /** Counts changes to the nodes' plan inputs: a plan made at the same count is still the plan. */
  private long planInputs;
  private long plannedAt = -1;
  private FleetFacts.PlanKey plannedFor;
  private WavePlan plan;
  private int derived;

  public void changed(String node) {
    changed.add(node);
  }

  /** The fleet as of now: the nodes named since the last refresh derived again, or every node when due. */
  public FleetFacts refresh(FleetGatherer.Basis basis, Source source, Instant now) {
    derived = 0;
    if (!basis.equals(this.basis) || builtAt == null || !now.isBefore(builtAt.plus(REBUILD_EVERY))) {
      // cleared before the caches are read: a node named while they are read is derived again next time
      changed.clear();
      nodes.clear();
      unmoved.clear();
      planInputs++;
      this.basis = basis;
      this.builtAt = now;
      for (Node node : source.nodes()) {
        String name = node.getMetadata() == null ? null : node.getMetadata().getName();
        if (name != null) {
          derive(name, Optional.of(node), source);
        }
      }
    } else {
      for (String name : List.copyOf(changed)) {
        changed.remove(name);
        derive(name, source.node(name), source);
      }
    }
    return new FleetFacts(List.copyOf(nodes.values()), Collections.unmodifiableMap(nodes), Set.copyOf(unmoved),
        this::plan);
  }

  /** Nodes derived in the last refresh: the work it did. */
  public int derivedLastTime() {
    return derived;
  }

  private void derive(String name, Optional<Node> node, Source source) {
    derived++;
    FleetNode before = nodes.get(name);
    FleetNode after = null;
    boolean stillInV1 = false;
    if (node.isPresent()) {
      ContractV1.NodeUpgrade upgrade = ContractV1.of(basis.channel(), node.get(), source.content(name));
      stillInV1 = upgrade.unmoved();
      after = FleetGatherer.node(basis, node.get(), upgrade.content(), source.podsOn(name)).orElse(null);
    }
    if (stillInV1) {
      unmoved.add(name);
    } else {
      unmoved.remove(name);
    }
    if (after == null) {
      nodes.remove(name);
    } else {
      nodes.put(name, after);
    }
    if (!samePlanInputs(before, after)) {
      planInputs++;
    }
  }

  private WavePlan plan(FleetFacts.PlanKey key, Supplier<WavePlan> planner) {
    if (plannedAt != planInputs || !key.equals(plannedFor)) {
      plan = planner.get();
      plannedFor = key;
      plannedAt = planInputs;
    }
    return plan;
  }

  /** What the wave planner reads of a node: whether it is in the fleet, its labels, its assignment's wave. */
  private static boolean samePlanInputs(FleetNode a, FleetNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.inFleet() == b.inFleet() && a.labels().equals(b.labels())
        && Objects.equals(a.assignment().map(Assignment::revision), b.assignment().map(Assignment::revision))
        && Objects.equals(a.assignment().map(Assignment::wave), b.assignment().map(Assignment::wave));
  }
}
