package io.wavegate.rollout;


import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import java.util.Map;
import java.util.Optional;

/**
 * A node as the state machine sees it.
 *
 * @param uid the Node's uid, for the owner reference of its NodeContent
 * @param inFleet whether it matches spec.nodeSelector (nodes that left the fleet lose the channel)
 * @param crashingPods pods matching crashingPodSelector on it that crashed since its assignment
 */
public record FleetNode(String name, String uid, Map<String, String> labels, boolean inFleet, boolean ready,
    String bootId, Optional<Assignment> assignment, Optional<AgentReport> report, int crashingPods) {

  public FleetNode(String name, Map<String, String> labels, boolean inFleet, boolean ready, String bootId,
      Optional<Assignment> assignment, Optional<AgentReport> report, int crashingPods) {
    this(name, null, labels, inFleet, ready, bootId, assignment, report, crashingPods);
  }
}
