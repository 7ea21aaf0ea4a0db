package io.wavegate.bench;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cluster-wide Node watchers, as the daemons on every node of many clusters run them (a network
 * plugin, an exporter): each receives the whole Node again on every change. Counts the events and
 * their bytes (each Node as JSON, the form the API server sends) so the benchmark can say what a
 * rollout costs everyone else who watches Nodes.
 */
final class NodeWatchers implements AutoCloseable {

  static final int EVENT_ENVELOPE_BYTES = "{\"type\":\"MODIFIED\",\"object\":}\n".length();

  private final List<Watch> watches = new ArrayList<>();
  private final AtomicLong added = new AtomicLong();
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong metadataChanges = new AtomicLong();
  private final java.util.Map<String, Integer> metadata = new java.util.concurrent.ConcurrentHashMap<>();
  private final int count;

  NodeWatchers(KubernetesClient client, int count) {
    this.count = count;
    for (int i = 0; i < count; i++) {
      watches.add(client.nodes().watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, Node node) {
          if (action == Action.ADDED) {
            added.incrementAndGet();
          }
          Integer keys = java.util.Objects.hash(node.getMetadata().getLabels(), node.getMetadata().getAnnotations());
          Integer before = metadata.put(node.getMetadata().getName(), keys);
          if (action == Action.MODIFIED && !keys.equals(before)) {
            metadataChanges.incrementAndGet(); // labels or annotations: what a rollout on contract v1 wrote
          }
          events.incrementAndGet();
          bytes.addAndGet(Serialization.asJson(node).getBytes(StandardCharsets.UTF_8).length + EVENT_ENVELOPE_BYTES);
        }

        @Override
        public void onClose(WatcherException cause) {}
      }));
    }
  }

  int count() {
    return count;
  }

  /** Waits until every watcher has received the initial list of {@code nodes} Nodes: that is not a rollout's doing. */
  void awaitInitialList(int nodes) throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (added.get() < (long) nodes * count && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    Thread.sleep(1000);
  }

  /**
   * Events, bytes, and events that changed a Node's labels or annotations, received by all watchers
   * since the last reset (the rest are status updates: the kubelets' heartbeats, kwok's here).
   */
  long[] takeCounts() {
    return new long[] {events.getAndSet(0), bytes.getAndSet(0), metadataChanges.getAndSet(0)};
  }

  @Override
  public void close() {
    watches.forEach(Watch::close);
  }
}
