package io.wavegate.rollout;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.wavegate.contract.NodeContent;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Nodes, NodeContents and pods held in plain maps, as a {@link ChannelFleet.Source}: the fleet a test or
 * the decision benchmark feeds a {@link ChannelFleet}, where the operator feeds it the informers' caches.
 * The maps may change between refreshes, as caches do.
 */
public record FleetObjects(Map<String, Node> nodesByName, Map<String, NodeContent> contents,
    Map<String, List<Pod>> podsByNode) implements ChannelFleet.Source {

  @Override
  public List<Node> nodes() {
    return List.copyOf(nodesByName.values());
  }

  @Override
  public Optional<Node> node(String name) {
    return Optional.ofNullable(nodesByName.get(name));
  }

  @Override
  public NodeContent content(String name) {
    return contents.get(name);
  }

  @Override
  public List<Pod> podsOn(String node) {
    return podsByNode.getOrDefault(node, List.of());
  }
}
