package io.wavegate.delivery;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Writes the desired revision onto nodes: one JSON merge patch per node per change, touching only
 * this channel's operator keys, with bounded concurrency.
 */
public final class NodeWriter implements AutoCloseable {

  private final KubernetesClient client;
  private final ExecutorService pool;

  public NodeWriter(KubernetesClient client, int concurrency) {
    this.client = client;
    this.pool = Executors.newFixedThreadPool(concurrency, r -> {
      Thread t = new Thread(r, "wavegate-node-writer");
      t.setDaemon(true);
      return t;
    });
  }

  /** The nodes as the API server returned them after the patch, and the writes that failed. */
  public record Result(List<Node> written, List<String> failures) {}

  /** Applies every write; failed ones are retried on the next reconcile. */
  public Result write(String channel, Map<String, Optional<Assignment>> writes) {
    List<CompletableFuture<Object>> futures = new ArrayList<>();
    writes.forEach((node, target) -> futures.add(CompletableFuture.supplyAsync(() -> {
      try {
        return client.nodes().withName(node).patch(PatchContext.of(PatchType.JSON_MERGE), patch(channel, target));
      } catch (RuntimeException e) {
        return node + ": " + e.getMessage();
      }
    }, pool)));
    List<Node> written = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    futures.stream().map(CompletableFuture::join).forEach(outcome -> {
      if (outcome instanceof Node node) {
        written.add(node);
      } else {
        failures.add((String) outcome);
      }
    });
    return new Result(written, failures);
  }

  static String patch(String channel, Optional<Assignment> target) {
    return NodeKeys.mergePatch(NodeKeys.desired(channel), target.map(a -> NodeKeys.shortRevision(a.revision())).orElse(null),
        target.map(NodeKeys::toJson).orElse(null));
  }


  @Override
  public void close() {
    pool.shutdownNow();
  }
}
