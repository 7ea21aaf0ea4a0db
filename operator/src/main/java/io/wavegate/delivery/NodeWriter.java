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
 * this channel's operator keys, with bounded concurrency, at most {@code batch} nodes per call.
 */
public final class NodeWriter implements AutoCloseable {

  private final KubernetesClient client;
  private final ExecutorService pool;
  private final int batch;

  public NodeWriter(KubernetesClient client, int concurrency, int batch) {
    this.client = client;
    this.batch = batch;
    this.pool = Executors.newFixedThreadPool(concurrency, r -> {
      Thread t = new Thread(r, "wavegate-node-writer");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * The nodes as the API server returned them after the patch, the writes that failed, and how many
   * were left for the next call (beyond the batch).
   */
  public record Result(List<Node> written, List<Failure> failures, int deferred) {}

  /** A node write the API server refused or did not answer. */
  public record Failure(String node, String message) {}

  /** Applies the first {@code batch} writes; failed and deferred ones are for the next reconcile. */
  public Result write(String channel, Map<String, Optional<Assignment>> writes) {
    List<CompletableFuture<Object>> futures = new ArrayList<>();
    writes.entrySet().stream().limit(batch).forEach(write -> futures.add(CompletableFuture.supplyAsync(() -> {
      String node = write.getKey();
      Optional<Assignment> target = write.getValue();
      try {
        return client.nodes().withName(node).patch(PatchContext.of(PatchType.JSON_MERGE), patch(channel, target));
      } catch (RuntimeException e) {
        return new Failure(node, e.getMessage());
      }
    }, pool)));
    List<Node> written = new ArrayList<>();
    List<Failure> failures = new ArrayList<>();
    futures.stream().map(CompletableFuture::join).forEach(outcome -> {
      if (outcome instanceof Node node) {
        written.add(node);
      } else {
        failures.add((Failure) outcome);
      }
    });
    return new Result(written, failures, writes.size() - futures.size());
  }

  static String patch(String channel, Optional<Assignment> target) {
    return NodeKeys.assignmentPatch(channel, target);
  }


  @Override
  public void close() {
    pool.shutdownNow();
  }
}
