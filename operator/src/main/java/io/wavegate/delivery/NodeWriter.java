package io.wavegate.delivery;

import io.wavegate.contract.Assignment;
import io.wavegate.contract.NodeContents;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavegate.contract.NodeContent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Writes the desired revision for nodes into their {@link NodeContent} objects (the node contract):
 * one server-side apply per node per change, owning only this channel's entry, with bounded
 * concurrency, at most {@code batch} nodes per call. Never writes to Nodes.
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
   * The objects as the API server returned them after the write, the writes that failed, and how
   * many were left for the next call (beyond the batch).
   */
  public record Result(List<NodeContent> written, List<Failure> failures, int deferred) {}

  /** A node write the API server refused or did not answer. */
  public record Failure(String node, String message) {}

  /**
   * Applies the first {@code batch} writes; failed and deferred ones are for the next reconcile.
   * {@code nodeUid} gives each Node's uid, for the owner reference that removes the object with it.
   */
  public Result write(String channel, Map<String, Optional<Assignment>> writes, Function<String, String> nodeUid) {
    List<CompletableFuture<Object>> futures = new ArrayList<>();
    writes.entrySet().stream().limit(batch).forEach(write -> futures.add(CompletableFuture.supplyAsync(() -> {
      String node = write.getKey();
      try {
        return NodeContents.applyAssignment(client, node, nodeUid.apply(node), channel, write.getValue());
      } catch (RuntimeException e) {
        return new Failure(node, e.getMessage());
      }
    }, pool)));
    List<NodeContent> written = new ArrayList<>();
    List<Failure> failures = new ArrayList<>();
    futures.stream().map(CompletableFuture::join).forEach(outcome -> {
      if (outcome instanceof NodeContent content) {
        written.add(content);
      } else {
        failures.add((Failure) outcome);
      }
    });
    return new Result(written, failures, writes.size() - futures.size());
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
