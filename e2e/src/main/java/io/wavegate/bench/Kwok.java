package io.wavegate.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * kwok (sigs.k8s.io/kwok) managing the benchmark's nodes as kubelets would: it renews each node's
 * Lease and heartbeats its status, so the API server carries a fleet's background load while
 * wavegate works. The Lease period is scaled so that the renewals come at {@code renewalsPerSecond}
 * in all (real kubelets renew every 10 s: 500 writes/s at 5,000 nodes, the whole ceiling of 2 cores).
 */
final class Kwok implements AutoCloseable {

  /**
   * The one stage kwok runs: a Ready node posts its Ready condition again every 5 minutes (with 1 of
   * jitter), as a kubelet with node leases does when nothing changed. The Leases are kwok's own.
   */
  private static final String HEARTBEAT_STAGE = """
      apiVersion: kwok.x-k8s.io/v1alpha1
      kind: Stage
      metadata:
        name: node-status-heartbeat
      spec:
        resourceRef:
          apiGroup: v1
          kind: Node
        selector:
          matchExpressions:
          - key: '.status.conditions.[] | select( .type == "Ready" ) | .status'
            operator: In
            values: ['True']
        delay:
          durationMilliseconds: 300000
          jitterDurationMilliseconds: 360000
        next:
          statusTemplate: |
            conditions:
            - type: Ready
              status: "True"
              reason: KubeletReady
              message: kubelet is posting ready status
              lastHeartbeatTime: {{ Now | Quote }}
              lastTransitionTime: {{ .metadata.creationTimestamp | Quote }}
      """;

  private final Process process;
  private final long leaseSeconds;

  private Kwok(Process process, long leaseSeconds) {
    this.process = process;
    this.leaseSeconds = leaseSeconds;
  }

  static Kwok start(Path binary, String kubeconfigYaml, String nodeLabelSelector, int nodes, double renewalsPerSecond)
      throws IOException {
    Path kubeconfig = Files.createTempFile("kwok-kubeconfig", ".yaml");
    Files.writeString(kubeconfig, kubeconfigYaml);
    long leaseSeconds = Math.max(40, Math.round(4 * nodes / renewalsPerSecond));
    Path config = Files.createTempFile("kwok-stages", ".yaml");
    Files.writeString(config, HEARTBEAT_STAGE);
    Path log = Files.createTempFile("kwok", ".log");
    Process process = new ProcessBuilder(binary.toString(), "--kubeconfig", kubeconfig.toString(),
        "--config", config.toString(),
        "--manage-nodes-with-label-selector", nodeLabelSelector, "--node-lease-duration-seconds",
        Long.toString(leaseSeconds), "--server-address", "127.0.0.1:0")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new Kwok(process, leaseSeconds);
  }

  long leaseSeconds() {
    return leaseSeconds;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Waits until kwok holds a Lease for every node (its first renewals come a period later). */
  static void awaitLeases(KubernetesClient client, int nodes) throws InterruptedException {
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (client.leases().inNamespace("kube-node-lease").list().getItems().size() < nodes
        && System.nanoTime() < deadline) {
      Thread.sleep(1000);
    }
  }

  /**
   * Counts the background writes through the run: Lease renewals and Node updates (kwok's
   * heartbeats, and also the benchmark's own reboots, a handful).
   */
  static final class LoadMeter implements AutoCloseable {
    private final AtomicLong leases = new AtomicLong();
    private final AtomicLong nodes = new AtomicLong();
    private final Watch leaseWatch;
    private final Watch nodeWatch;
    private long since = System.nanoTime();

    LoadMeter(KubernetesClient client) throws InterruptedException {
      leaseWatch = client.leases().inNamespace("kube-node-lease").watch(counting(leases));
      nodeWatch = client.nodes().watch(counting(nodes));
      Thread.sleep(3000); // the initial lists
      take();
    }

    /** Lease writes/s and Node writes/s since the last call. */
    double[] take() {
      long now = System.nanoTime();
      double seconds = (now - since) / 1e9;
      since = now;
      return new double[] {leases.getAndSet(0) / seconds, nodes.getAndSet(0) / seconds};
    }

    @Override
    public void close() {
      leaseWatch.close();
      nodeWatch.close();
    }
  }

  private static <T> Watcher<T> counting(AtomicLong count) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        count.incrementAndGet();
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  @Override
  public void close() {
    process.destroy();
  }
}
