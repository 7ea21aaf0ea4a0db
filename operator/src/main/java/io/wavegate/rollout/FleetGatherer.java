package io.wavegate.rollout;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.NodeContents;
import io.wavegate.health.CrashDetector;
import io.wavegate.plan.LabelSelectors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The fleet as one rollout sees it, from the cached Nodes and Pods: which nodes are in it, what they
 * hold and report for the channel, whether they are Ready, their boot ID and their crashed pods.
 * Pure; a node with odd or missing fields is read as far as it goes, never thrown on.
 *
 * <p>One node's facts depend only on the {@link Basis} and that node's own objects ({@link #node}), which
 * is what lets {@link ChannelFleet} keep them up to date node by node.
 */
public final class FleetGatherer {

  private FleetGatherer() {}

  /**
   * What of a rollout its nodes' facts depend on: a change to any of it re-derives every node.
   *
   * @param crashSelector strategy.healthGates.crashingPodSelector; null: crashes are not watched
   */
  public record Basis(String channel, LabelSelector nodeSelector, LabelSelector crashSelector, String digest) {

    public static Basis of(String channel, ContentRolloutSpec spec) {
      return new Basis(channel, spec.getNodeSelector(), WaveDefs.crashingPodSelector(spec.getStrategy()),
          spec.getContent().getSha256());
    }

    /** A pod that crashed at some time and that the crash selector watches: the cheap test first. */
    boolean watches(Pod pod) {
      return crashSelector != null && pod.getSpec() != null && pod.getSpec().getNodeName() != null
          && CrashDetector.crashedSince(pod, Instant.EPOCH)
          && LabelSelectors.matches(crashSelector, LabelSelectors.labelsOf(pod));
    }
  }

  public static List<FleetNode> gather(String channel, ContentRolloutSpec spec, String digest, List<Node> nodes,
      Map<String, NodeContent> contents, List<Pod> pods) {
    return gather(new Basis(channel, spec.getNodeSelector(), WaveDefs.crashingPodSelector(spec.getStrategy()), digest),
        nodes, contents, pods);
  }

  /** Every node at once ({@link #node} for each): the decision benchmark, and tests that check what is kept. */
  public static List<FleetNode> gather(Basis basis, List<Node> nodes, Map<String, NodeContent> contents,
      List<Pod> pods) {
    Map<String, List<Pod>> watchedPodsByNode = pods.stream().filter(basis::watches)
        .collect(Collectors.groupingBy(p -> p.getSpec().getNodeName()));
    List<FleetNode> fleet = new ArrayList<>();
    for (Node node : nodes) {
      if (node.getMetadata() == null || node.getMetadata().getName() == null) {
        continue;
      }
      String name = node.getMetadata().getName();
      node(basis, node, contents.get(name), watchedPodsByNode.getOrDefault(name, List.of())).ifPresent(fleet::add);
    }
    return fleet;
  }

  /**
   * One node as the rollout sees it; empty when the rollout has nothing to do with it (outside its
   * selector, holding and reporting nothing for the channel).
   *
   * @param pods the node's pods; only those the basis watches count
   */
  public static Optional<FleetNode> node(Basis basis, Node node, NodeContent content, List<Pod> pods) {
    if (node.getMetadata() == null || node.getMetadata().getName() == null) {
      return Optional.empty();
    }
    Map<String, String> labels = LabelSelectors.labelsOf(node);
    boolean inFleet = LabelSelectors.matches(basis.nodeSelector(), labels);
    Optional<Assignment> assignment = NodeContents.assignment(content, basis.channel());
    Optional<AgentReport> report = NodeContents.report(content, basis.channel());
    if (!inFleet && assignment.isEmpty() && report.isEmpty()) {
      return Optional.empty();
    }
    int crashing = 0;
    if (assignment.isPresent() && assignment.get().revision().equals(basis.digest())) {
      Instant assigned = assignment.get().assignedInstant();
      crashing = (int) pods.stream().filter(basis::watches).filter(p -> CrashDetector.crashedSince(p, assigned)).count();
    }
    String bootId = node.getStatus() == null || node.getStatus().getNodeInfo() == null
        ? null : node.getStatus().getNodeInfo().getBootID();
    return Optional.of(new FleetNode(node.getMetadata().getName(), node.getMetadata().getUid(), labels, inFleet,
        ready(node), bootId, assignment, report, crashing));
  }

  static boolean ready(Node node) {
    return node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus().getConditions()
        .stream().anyMatch(c -> c != null && "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
