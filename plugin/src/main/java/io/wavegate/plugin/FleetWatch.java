package io.wavegate.plugin;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentUpdatePolicy;
import io.wavegate.contract.NodeContent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * What the dashboard shows, watched once: informers on ContentRollouts, Nodes, NodeContents and update
 * policies, with the user's kubeconfig and its rights. Every change counts up {@link #version}; a page
 * is sent a new picture when the version moved, so the API server is watched, never polled per page.
 */
final class FleetWatch implements AutoCloseable {

  private final AtomicLong version = new AtomicLong();
  private final SharedIndexInformer<ContentRollout> rollouts;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<NodeContent> contents;
  private final SharedIndexInformer<ContentUpdatePolicy> policies;

  FleetWatch(KubernetesClient client) {
    this.rollouts = client.resources(ContentRollout.class).inform(counting(), 0);
    this.nodes = client.nodes().inform(counting(), 0);
    this.contents = client.resources(NodeContent.class).inform(counting(), 0);
    this.policies = client.resources(ContentUpdatePolicy.class).inform(counting(), 0);
  }

  private <T extends HasMetadata> ResourceEventHandler<T> counting() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        version.incrementAndGet();
      }

      @Override
      public void onUpdate(T before, T after) {
        version.incrementAndGet();
      }

      @Override
      public void onDelete(T object, boolean finalStateUnknown) {
        version.incrementAndGet();
      }
    };
  }

  long version() {
    return version.get();
  }

  List<ContentRollout> rollouts() {
    return rollouts.getStore().list().stream()
        .sorted(java.util.Comparator.comparing(r -> r.getMetadata().getName(), NaturalOrder.INSTANCE)).toList();
  }

  Optional<ContentRollout> rollout(String name) {
    return Optional.ofNullable(rollouts.getStore().getByKey(name));
  }

  List<Node> nodes() {
    return new ArrayList<>(nodes.getStore().list());
  }

  Map<String, NodeContent> contents() {
    return contents.getStore().list().stream().collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c,
        (a, b) -> a));
  }

  List<ContentUpdatePolicy> policies() {
    return policies.getStore().list();
  }

  @Override
  public void close() {
    List.of(rollouts, nodes, contents, policies).forEach(SharedIndexInformer::close);
  }
}
