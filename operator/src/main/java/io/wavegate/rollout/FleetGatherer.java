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
 */
public final class FleetGatherer {

  private FleetGatherer() {}

  public static List<FleetNode> gather(String channel, ContentRolloutSpec spec, String digest, List<Node> nodes,
      Map<String, NodeContent> contents, List<Pod> pods) {
    LabelSelector crashSelector = WaveDefs.crashingPodSelector(spec.getStrategy());
    // a pod that never crashed counts nowhere: the cheap test first, the selector only for the few left
    Map<String, List<Pod>> watchedPodsByNode = crashSelector == null ? Map.of() : pods.stream()
        .filter(p -> p.getSpec() != null && p.getSpec().getNodeName() != null)
        .filter(p -> CrashDetector.crashedSince(p, Instant.EPOCH))
        .filter(p -> LabelSelectors.matches(crashSelector, LabelSelectors.labelsOf(p)))
        .collect(Collectors.groupingBy(p -> p.getSpec().getNodeName()));
    List<FleetNode> fleet = new ArrayList<>();
    for (Node node : nodes) {
      if (node.getMetadata() == null || node.getMetadata().getName() == null) {
        continue;
      }
      Map<String, String> labels = LabelSelectors.labelsOf(node);
      boolean inFleet = LabelSelectors.matches(spec.getNodeSelector(), labels);
      NodeContent content = contents.get(node.getMetadata().getName());
      Optional<Assignment> assignment = NodeContents.assignment(content, channel);
      Optional<AgentReport> report = NodeContents.report(content, channel);
      if (!inFleet && assignment.isEmpty() && report.isEmpty()) {
        continue;
      }
      int crashing = 0;
      if (assignment.isPresent() && assignment.get().revision().equals(digest)) {
        crashing = (int) watchedPodsByNode.getOrDefault(node.getMetadata().getName(), List.of()).stream()
            .filter(p -> CrashDetector.crashedSince(p, assignment.get().assignedInstant()))
            .count();
      }
      String bootId = node.getStatus() == null || node.getStatus().getNodeInfo() == null
          ? null : node.getStatus().getNodeInfo().getBootID();
      fleet.add(new FleetNode(node.getMetadata().getName(), node.getMetadata().getUid(), labels, inFleet, ready(node),
          bootId, assignment, report, crashing));
    }
    return fleet;
  }

  static boolean ready(Node node) {
    return node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus().getConditions()
        .stream().anyMatch(c -> c != null && "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
