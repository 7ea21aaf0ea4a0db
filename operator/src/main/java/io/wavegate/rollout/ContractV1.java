package io.wavegate.rollout;

import io.fabric8.kubernetes.api.model.Node;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.NodeContents;
import io.wavegate.delivery.NodeKeys;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The upgrade from node contract v1, which kept a node's assignment and report as keys on its Node,
 * handled at the edge and only here: the fleet the decider sees looks as if every NodeContent already
 * held them ({@link #of}), and the writes it decides are adjusted so that each assignment still
 * kept on a Node is written into its NodeContent once, as it is ({@link #moveOnce}). The decider, the
 * gatherer and the fleet model know nothing of v1. Pure.
 *
 * <p>Delete this class, {@code NodeKeys} and its uses in {@code ConcernedRollouts} and {@code CachedNode}
 * in release 0.3: docs/install.md has upgrades from contract v1 pass through 0.1 or 0.2 first.
 */
public final class ContractV1 {

  private ContractV1() {}

  /**
   * The fleet's NodeContents as the gatherer should read them, and the nodes not moved yet.
   *
   * @param contents each node's NodeContent for the channel, with its v1 keys standing in for an entry
   *     the NodeContent does not hold yet (the assignment until the operator moved it, the report until
   *     the node's agent reports in its NodeContent); only the channel's entries are in a stand-in
   * @param unmoved nodes whose assignment for the channel is still only in v1 keys on the Node
   */
  public record Upgrade(Map<String, NodeContent> contents, Set<String> unmoved) {}

  /**
   * One pass over the nodes ({@link #of(String, Node, NodeContent)} for each). A node without v1 keys for
   * the channel (every node of a fleet that never ran contract v1) costs two map lookups, and the
   * NodeContents are copied only when a node has them.
   */
  public static Upgrade of(String channel, List<Node> nodes, Map<String, NodeContent> contents) {
    Map<String, NodeContent> view = contents;
    Set<String> unmoved = new HashSet<>();
    for (Node node : nodes) {
      String name = node.getMetadata().getName();
      NodeUpgrade upgrade = of(channel, node, contents.get(name));
      if (upgrade.unmoved()) {
        unmoved.add(name);
      }
      if (upgrade.content() != contents.get(name)) {
        if (view == contents) {
          view = new HashMap<>(contents);
        }
        view.put(name, upgrade.content());
      }
    }
    return new Upgrade(view, Set.copyOf(unmoved));
  }

  /**
   * One node's NodeContent as the gatherer should read it (the same object when the node has no v1
   * keys for the channel, or they are history), and whether its assignment is still only in v1 keys.
   */
  public record NodeUpgrade(NodeContent content, boolean unmoved) {}

  public static NodeUpgrade of(String channel, Node node, NodeContent content) {
    Optional<Assignment> v1Assignment = NodeKeys.assignment(node, channel);
    Optional<AgentReport> v1Report = NodeKeys.report(node, channel);
    if (v1Assignment.isEmpty() && v1Report.isEmpty()) {
      return new NodeUpgrade(content, false);
    }
    String name = node.getMetadata().getName();
    Optional<Assignment> assignment = NodeContents.assignment(content, channel);
    Optional<AgentReport> report = NodeContents.report(content, channel);
    boolean unmoved = assignment.isEmpty() && v1Assignment.isPresent();
    if (assignment.isPresent() && report.isPresent()) {
      return new NodeUpgrade(content, unmoved); // moved, and reported by an upgraded agent: the v1 keys are history
    }
    NodeContent standIn = NodeContents.assignmentApply(name, node.getMetadata().getUid(), channel,
        assignment.or(() -> v1Assignment));
    standIn.setStatus(NodeContents.reportApply(name, channel, report.or(() -> v1Report).orElse(null)).getStatus());
    return new NodeUpgrade(standIn, unmoved);
  }

  /**
   * The decided writes, adjusted for the nodes not moved yet: one that keeps its revision still gets
   * its assignment written as it is (an upgrade moves state, it does not reassign); one the decision
   * would clear is left alone (its NodeContent holds nothing to remove).
   */
  public static Map<String, Optional<Assignment>> moveOnce(Map<String, Optional<Assignment>> decided,
      Map<String, FleetNode> fleet, Set<String> unmoved) {
    Map<String, Optional<Assignment>> writes = new LinkedHashMap<>();
    decided.forEach((node, target) -> {
      if (!(unmoved.contains(node) && target.isEmpty())) {
        writes.put(node, target);
      }
    });
    for (String name : unmoved) {
      FleetNode node = fleet.get(name);
      if (node != null && node.inFleet() && node.assignment().isPresent()) {
        writes.putIfAbsent(name, node.assignment());
      }
    }
    return writes;
  }
}
