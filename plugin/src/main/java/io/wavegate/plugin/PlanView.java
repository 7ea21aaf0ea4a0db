package io.wavegate.plugin;

import io.fabric8.kubernetes.api.model.Node;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.StrategySpec;
import io.wavegate.api.WaveApproval;
import io.wavegate.api.WaveSpec;
import io.wavegate.plan.LabelSelectors;
import io.wavegate.plan.PlanNode;
import io.wavegate.plan.WavePlan;
import io.wavegate.plan.WavePlanner;
import io.wavegate.plan.WaveRule;
import io.wavegate.plan.WaveRules;
import io.wavegate.contract.Digests;
import io.wavegate.policy.Hold;
import io.wavegate.policy.HoldReason;
import io.wavegate.policy.UpdatePolicies;
import io.wavegate.policy.UpdatePolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;
import java.util.Optional;

/**
 * A dry run of the wave plan on the live fleet, with the operator's own planner: which nodes fall
 * in which wave, which a maxNodes cap leaves out, which match no wave, which are not Ready now. Pure.
 */
public final class PlanView {

  private PlanView() {}

  public static String render(String channel, ContentRolloutSpec spec, List<Node> nodes) {
    return render(channel, spec, nodes, UpdatePolicies.NONE, null, null);
  }

  /**
   * With the update policies that govern the channel: which nodes they hold now, why and until when, and
   * which are pinned below the stable revision.
   *
   * @param availableAt when the revision became generally available (status.generallyAvailableAt), or null
   * @param stableDigest the rollout's stable revision, or null
   */
  public static String render(String channel, ContentRolloutSpec spec, List<Node> nodes, UpdatePolicies policies,
      Instant availableAt, String stableDigest) {
    StrategySpec strategy = spec.getStrategy();
    String poolLabel = strategy.poolLabelOrDefault();
    List<WaveRule> rules = WaveRules.from(strategy);
    List<Node> fleet = nodes.stream().filter(n -> spec.getNodeSelector() == null
        || LabelSelectors.matches(spec.getNodeSelector(), LabelSelectors.labelsOf(n))).toList();
    WavePlan plan = WavePlanner.plan(channel, poolLabel, rules, fleet.stream()
        .map(n -> new PlanNode(n.getMetadata().getName(), LabelSelectors.labelsOf(n), Optional.empty())).toList());

    StringBuilder out = new StringBuilder();
    out.append(String.format("%-16s %6s  %s%n", "WAVE", "NODES", "MEMBERS"));
    List<String> empty = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      List<String> members = plan.members().size() > i ? plan.members().get(i) : List.of();
      if (members.isEmpty()) {
        empty.add(rules.get(i).name());
      }
      out.append(String.format("%-16s %6d  %s%n", rules.get(i).name(), members.size(),
          members.isEmpty() ? "(none: the rollout waits here, NoMatchingNodes)" : listed(members)));
    }
    List<String> capped = new ArrayList<>();
    List<String> noWave = new ArrayList<>();
    for (String name : plan.unplanned()) {
      Node node = fleet.stream().filter(n -> n.getMetadata().getName().equals(name)).findFirst().orElseThrow();
      boolean admitted = rules.stream().anyMatch(r -> r.admits(LabelSelectors.labelsOf(node), poolLabel));
      (admitted ? capped : noWave).add(name);
    }
    List<String> down = fleet.stream().filter(n -> !ready(n)).map(n -> n.getMetadata().getName()).sorted().toList();
    out.append('\n');
    out.append("Fleet:            ").append(fleet.size()).append(" of ").append(nodes.size())
        .append(" nodes (spec.nodeSelector)\n");
    out.append("Left out by maxNodes (no later wave takes them): ").append(capped.size()).append(capped.isEmpty() ? ""
        : "  " + listed(capped.stream().sorted().toList())).append('\n');
    out.append("Match no wave:    ").append(noWave.size()).append(noWave.isEmpty() ? ""
        : "  " + listed(noWave.stream().sorted().toList())).append('\n');
    out.append("Not Ready now:    ").append(down.size()).append(down.isEmpty() ? "" : "  " + listed(down))
        .append(" (skipped within maxUnavailableNodes, served when back)\n");
    List<String> manual = strategy.getWaves().stream().filter(w -> w.getApproval() == WaveApproval.Manual)
        .map(WaveSpec::getName).toList();
    if (!manual.isEmpty()) {
      out.append("Wait for approval: ").append(String.join(", ", manual)).append(" (approval: Manual: each starts after")
          .append(" kubectl wavegate approve ").append(channel).append(")\n");
    }
    held(out, plan, fleet, spec.getContent().getSha256(), policies, availableAt, stableDigest);
    if (!empty.isEmpty()) {
      out.append("Waves with no node: ").append(empty.size()).append("  ").append(String.join(", ", empty))
          .append(" (a wave that matches no node never completes: the rollout waits, reason NoMatchingNodes,")
          .append(" until a node matches)\n");
    }
    return out.toString();
  }

  /** The plan's nodes update policies hold back from the revision now, by policy and reason. */
  private static void held(StringBuilder out, WavePlan plan, List<Node> fleet, String digest, UpdatePolicies policies,
      Instant availableAt, String stableDigest) {
    if (policies.isEmpty()) {
      return;
    }
    Map<String, List<String>> byHold = new TreeMap<>();
    Map<String, String> why = new TreeMap<>();
    for (Node node : fleet) {
      String name = node.getMetadata().getName();
      if (plan.waveOf(name).isEmpty()) {
        continue;
      }
      Map<String, String> labels = LabelSelectors.labelsOf(node);
      Optional<Hold> hold = policies.hold(name, labels, digest, availableAt);
      if (hold.isEmpty()) {
        continue;
      }
      String key = hold.get().policy() + ": " + hold.get().reason();
      byHold.computeIfAbsent(key, k -> new ArrayList<>()).add(name);
      Optional<String> pinned = policies.governing(labels).flatMap(UpdatePolicy::pin).map(UpdatePolicy.Pin::revision)
          .filter(p -> hold.get().reason() == HoldReason.Pinned && stableDigest != null && !p.equals(stableDigest));
      why.putIfAbsent(key, hold.get().message() + pinned.map(p -> "; below the stable revision "
          + Digests.shortRevision(stableDigest)).orElse(""));
    }
    out.append("Held by update policies now: ").append(byHold.values().stream().mapToInt(List::size).sum())
        .append(" (not assigned, awaited or blamed; kubectl wavegate policies)\n");
    byHold.forEach((key, held) -> out.append("  ").append(key).append("  ").append(listed(held.stream().sorted()
        .toList())).append("  (").append(why.get(key)).append(")\n"));
  }

  static boolean ready(Node node) {
    return node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus().getConditions()
        .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String listed(List<String> names) {
    int shown = Math.min(8, names.size());
    return String.join(", ", names.subList(0, shown)) + (names.size() > shown ? " and " + (names.size() - shown)
        + " more" : "");
  }
}
