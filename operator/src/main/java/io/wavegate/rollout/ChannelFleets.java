package io.wavegate.rollout;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every rollout's {@link ChannelFleet}, and the one place informer events name the nodes that changed: a
 * Node, its NodeContent or a pod on it added, changed or deleted, and the operator's own NodeContent
 * writes. Held in memory only; a restart starts empty and each rollout's first reconcile derives its fleet
 * from the caches.
 */
final class ChannelFleets {

  private final Map<String, ChannelFleet> byRollout = new ConcurrentHashMap<>();

  /** A node's objects changed: every rollout derives its facts again at its next reconcile. */
  void changed(String node) {
    if (node != null) {
      byRollout.values().forEach(fleet -> fleet.changed(node));
    }
  }

  ChannelFleet of(String rollout) {
    return byRollout.computeIfAbsent(rollout, name -> new ChannelFleet());
  }

  /** Drops the fleets of rollouts that are gone. */
  void retain(Set<String> rollouts) {
    byRollout.keySet().retainAll(rollouts);
  }
}
