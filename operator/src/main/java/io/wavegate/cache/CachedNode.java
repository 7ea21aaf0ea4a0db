package io.wavegate.cache;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.wavegate.delivery.NodeKeys;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The part of a Node the operator reads: name, labels (selectors and pools), the wavegate
 * annotations (assignments and reports), the Ready condition and the boot ID. A real Node also
 * carries its image list, managed fields, addresses and capacity, several KB that 5,000 cached
 * nodes would hold for nothing.
 */
public final class CachedNode {

  private CachedNode() {}

  public static Node of(Node node) {
    Map<String, String> annotations = node.getMetadata().getAnnotations() == null ? null
        : node.getMetadata().getAnnotations().entrySet().stream()
            .filter(e -> e.getKey().startsWith(NodeKeys.OPERATOR_PREFIX) || e.getKey().startsWith(NodeKeys.AGENT_PREFIX))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    return new NodeBuilder().withNewMetadata()
        .withName(node.getMetadata().getName())
        .withUid(node.getMetadata().getUid())
        .withResourceVersion(node.getMetadata().getResourceVersion())
        .withLabels(node.getMetadata().getLabels())
        .withAnnotations(annotations)
        .endMetadata()
        .withStatus(status(node.getStatus()))
        .build();
  }

  private static NodeStatus status(NodeStatus status) {
    if (status == null) {
      return null;
    }
    List<NodeCondition> ready = status.getConditions() == null ? null : status.getConditions().stream()
        .filter(c -> "Ready".equals(c.getType())).toList();
    NodeStatus pruned = new NodeStatus();
    pruned.setConditions(ready);
    if (status.getNodeInfo() != null) {
      NodeSystemInfo bootId = new NodeSystemInfo();
      bootId.setBootID(status.getNodeInfo().getBootID());
      pruned.setNodeInfo(bootId);
    }
    return pruned;
  }
}
