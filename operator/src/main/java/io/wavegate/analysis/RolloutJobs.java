package io.wavegate.analysis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Work that decisions ask for and that must not run in a reconcile (a Prometheus query, a webhook call),
 * on a pool of its own: one job per key at a time; each result waits here until its rollout's next
 * reconcile takes it, and the rollout is woken at once. Nothing here outlives a restart, and nothing needs
 * to: a result lost with it is asked for again by the next decision.
 *
 * @param <R> what a job returns
 */
final class RolloutJobs<R> implements AutoCloseable {

  private final ExecutorService workers;
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final Map<String, List<R>> done = new ConcurrentHashMap<>();
  private volatile Consumer<String> onDone = rollout -> { };

  RolloutJobs(String threadName, int concurrency) {
    this.workers = Executors.newFixedThreadPool(concurrency, r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /** Called with the rollout's name when one of its results is ready (the reconciler asks for a reconcile). */
  void onDone(Consumer<String> listener) {
    this.onDone = listener;
  }

  /** Runs the job for the rollout, unless the job with this key is still running. */
  void submit(String rollout, String key, Supplier<R> job) {
    if (!running.add(key)) {
      return;
    }
    workers.execute(() -> {
      try {
        R result = job.get();
        done.computeIfAbsent(rollout, r -> Collections.synchronizedList(new ArrayList<>())).add(result);
      } finally {
        running.remove(key);
      }
      onDone.accept(rollout);
    });
  }

  /** The results completed since the last call, for the rollout's next decision. */
  List<R> take(String rollout) {
    List<R> results = done.remove(rollout);
    if (results == null) {
      return List.of();
    }
    synchronized (results) {
      return List.copyOf(results);
    }
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
