package io.wavegate.e2e.support;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavegate.contract.NodeContent;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.contract.NodeContents;
import java.util.Optional;

/** What the operator writes for a node under the node contract, done by a test, and what the node's agent reports back. */
public final class NodeContentWrites {

  private NodeContentWrites() {}

  /** The assignment (or, empty, its removal) in the node's NodeContent, as the operator applies it. */
  public static NodeContent assign(KubernetesClient as, String node, String channel, Optional<Assignment> assignment) {
    String uid = as.nodes().withName(node).get().getMetadata().getUid();
    return NodeContents.applyAssignment(as, node, uid, channel, assignment);
  }

  public static Optional<AgentReport> report(KubernetesClient client, String node, String channel) {
    return NodeContents.report(client.resources(NodeContent.class).withName(node).get(), channel);
  }
}
