package io.wavegate.plugin;

import io.fabric8.kubernetes.api.model.Node;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.RolloutPhase;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.Digests;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.NodeContents;
import io.wavegate.plan.LabelSelectors;
import io.wavegate.plan.PlanNode;
import io.wavegate.plan.WavePlan;
import io.wavegate.plan.WavePlanner;
import io.wavegate.plan.WaveRules;
import io.wavegate.plan.WaveRule;
import io.wavegate.policy.Hold;
import io.wavegate.policy.UpdatePolicies;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The dashboard's fleet map: one cell per node of a rollout, grouped by wave and pool, each with its state
 * and a line about it. Waves as the operator plans them (the planner and the update policies' evaluation are
 * the same code); nodes in natural order. Pure: the rollout, the cached Nodes and NodeContents, the
 * policies and the time in, the groups out.
 */
public final class FleetMap {

  private FleetMap() {}

  /** What a cell shows, in the order of the legend. */
  public enum CellState {
    /** On the stable revision (or, with none yet, on no revision of this channel). */
    Stable,
    /** Applied the revision in flight. */
    New,
    /** Assigned a revision it has not reported yet. */
    Applying,
    /** Reported a failure, or named by the breach while still on the revision in flight. */
    Failed,
    /** Not Ready. */
    Unavailable,
    /** An update policy holds it back from the revision in flight. */
    Held,
    /** On another revision: older, or pinned. */
    Other
  }

  public record Cell(String node, CellState state, String detail) {}

  public record Group(String wave, String pool, List<Cell> cells) {}

  /** The group of nodes a rollout holds or reports on but no wave of its plan takes. */
  public static final String NO_WAVE = "(no wave)";

  public static List<Group> of(ContentRollout rollout, List<Node> nodes, Map<String, NodeContent> contents,
      UpdatePolicies policies, Instant generallyAvailableAt) {
    String channel = rollout.getMetadata().getName();
    String poolLabel = rollout.getSpec().getStrategy().poolLabelOrDefault();
    String digest = rollout.getSpec().getContent().getSha256();
    ContentRolloutStatus status = rollout.getStatus() == null ? new ContentRolloutStatus() : rollout.getStatus();
    List<WaveRule> rules = WaveRules.from(rollout.getSpec().getStrategy());
    WavePlan plan = WavePlanner.plan(channel, poolLabel, rules, nodes.stream()
        .filter(n -> LabelSelectors.matches(rollout.getSpec().getNodeSelector(), LabelSelectors.labelsOf(n)))
        .map(n -> new PlanNode(n.getMetadata().getName(), LabelSelectors.labelsOf(n),
            NodeContents.assignment(contents.get(n.getMetadata().getName()), channel)
                .filter(a -> a.revision().equals(digest)).map(Assignment::wave)))
        .toList());
    Set<String> offending = new HashSet<>();
    if (status.getStall() != null && status.getStall().getNodes() != null) {
      offending.addAll(status.getStall().getNodes());
    }
    if (status.getHealth() != null && status.getHealth().getOffendingNodes() != null) {
      offending.addAll(status.getHealth().getOffendingNodes());
    }
    boolean rolling = status.getPhase() != null && (status.getPhase().rolling()
        || status.getPhase() == RolloutPhase.Succeeded);
    Map<String, Map<String, List<Cell>>> byWaveAndPool = new LinkedHashMap<>();
    rules.forEach(rule -> byWaveAndPool.put(rule.name(), new TreeMap<>()));
    for (Node node : nodes) {
      String name = node.getMetadata().getName();
      Map<String, String> labels = LabelSelectors.labelsOf(node);
      NodeContent content = contents.get(name);
      Optional<Assignment> assignment = NodeContents.assignment(content, channel);
      Optional<AgentReport> report = NodeContents.report(content, channel);
      Optional<Integer> wave = plan.waveOf(name);
      if (wave.isEmpty() && assignment.isEmpty() && report.isEmpty()) {
        continue;
      }
      Optional<Hold> hold = !rolling || wave.isEmpty() || assignment.map(a -> a.revision().equals(digest)).orElse(false)
          ? Optional.empty() : policies.hold(name, labels, digest, generallyAvailableAt);
      CellState state = state(PlanView.ready(node), assignment, report, digest, status.getStableDigest(), hold.isPresent(),
          offending.contains(name));
      String pool = labels.getOrDefault(poolLabel, "-");
      String waveName = wave.map(i -> rules.get(i).name()).orElse(NO_WAVE);
      byWaveAndPool.computeIfAbsent(waveName, w -> new TreeMap<>()).computeIfAbsent(pool, p -> new ArrayList<>())
          .add(new Cell(name, state, detail(waveName, pool, PlanView.ready(node), assignment, report, hold)));
    }
    List<Group> groups = new ArrayList<>();
    byWaveAndPool.forEach((wave, pools) -> pools.forEach((pool, cells) -> groups.add(new Group(wave, pool,
        cells.stream().sorted(Comparator.comparing(Cell::node, NaturalOrder.INSTANCE)).toList()))));
    return groups;
  }

  /**
   * One node's state: held and down first (nothing else about it moves), then a failure, then what it
   * holds by its own report, then an assignment it has not reported on.
   */
  static CellState state(boolean ready, Optional<Assignment> assignment, Optional<AgentReport> report, String digest,
      String stable, boolean held, boolean offending) {
    if (held) {
      return CellState.Held;
    }
    if (!ready) {
      return CellState.Unavailable;
    }
    // the revision in flight, once it is the stable one, is simply stable
    boolean onNew = report.map(r -> r.applied(digest)).orElse(false) && !digest.equals(stable);
    if (report.map(r -> AgentReport.FAILED.equals(r.state())).orElse(false) || offending && onNew) {
      return CellState.Failed;
    }
    String assigned = assignment.map(Assignment::revision).orElse(null);
    String reported = report.filter(r -> AgentReport.APPLIED.equals(r.state())).map(AgentReport::revision)
        .orElse(null);
    if (assigned != null && !assigned.equals(reported)) {
      // a revocation moves a node back before its assignment: what it reports is what it holds
      boolean revoked = reported != null && reported.equals(stable) && !assigned.equals(stable);
      return revoked ? CellState.Stable : CellState.Applying;
    }
    if (onNew) {
      return CellState.New;
    }
    if (reported == null || reported.equals(stable)) {
      return CellState.Stable;
    }
    return CellState.Other;
  }

  private static String detail(String wave, String pool, boolean ready, Optional<Assignment> assignment,
      Optional<AgentReport> report, Optional<Hold> hold) {
    StringBuilder line = new StringBuilder("wave " + wave + ", pool " + pool + (ready ? "" : ", not Ready"));
    line.append("; assigned ").append(assignment.map(a -> Digests.shortRevision(a.revision())).orElse("nothing"));
    line.append("; reported ").append(report.map(r -> r.state() + " " + Digests.shortRevision(r.revision())
        + (r.reason() == null ? "" : " (" + r.reason() + (r.message() == null ? "" : ": " + r.message()) + ")"))
        .orElse("nothing"));
    hold.ifPresent(h -> line.append("; held by ").append(h.policy()).append(": ").append(h.reason())
        .append(h.until().map(u -> " until " + u).orElse("")));
    return line.toString();
  }
}
