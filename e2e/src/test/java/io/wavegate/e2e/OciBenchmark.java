package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wavegate.WavegateOperator;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.RolloutPhase;
import io.wavegate.api.ValidationSpec;
import io.wavegate.contract.Digests;
import io.wavegate.contract.oci.OciReference;
import io.wavegate.contract.oci.OciRegistryClient;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.sim.OciArtifacts;
import io.wavegate.sim.RegistryServer;
import io.wavegate.sim.Chart;
import io.wavegate.sim.Rollouts;
import io.wavegate.sim.SimulatedFleet;
import io.wavegate.validation.GateResult;
import io.wavegate.validation.GateRunner;
import io.wavegate.validation.SourceReader;
import io.wavegate.validation.TrustedKeys;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI figures of docs/benchmarks.md, each beside the machine's own limit measured in the same run;
 * run by scripts/bench-oci.sh (its name ends in Benchmark, so the test command leaves it out). Figures
 * only: the assertions check that what was measured happened (the bytes arrived, the rollout
 * finished), never a speed.
 */
class OciBenchmark {

  static final long MIB = 1024 * 1024;
  static final long GATE_BYTES = Long.getLong("wavegate.bench.gateBytes", 256 * MIB);
  static final int NODES = Integer.getInteger("wavegate.bench.nodes", 200);
  static final int CAP = Integer.getInteger("wavegate.bench.pullCap", 20);
  static final long NODE_BYTES = Long.getLong("wavegate.bench.nodeBytes", 4 * MIB);

  @RegisterExtension
  static final ApiServer api = new ApiServer();

  @TempDir
  Path dir;

  @Test
  void theGateStreamsALayerNearTheMachinesSha256Speed() throws Exception {
    try (RegistryServer registry = new RegistryServer(false).start()) {
      Path file = OciArtifacts.randomContent(dir.resolve("db.bin"), GATE_BYTES, 11);
      String digest = Digests.sha256Hex(file);
      String reference = new OciArtifacts(registry).push("bench/db", "v1", file);
      OciReference ref = OciReference.parse(reference);

      double sha = best(3, () -> {
        MessageDigest sha256 = Digests.sha256();
        byte[] buffer = new byte[256 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
          for (int n; (n = in.read(buffer)) >= 0; ) {
            sha256.update(buffer, 0, n);
          }
        }
      });
      HttpClient http = HttpClient.newHttpClient();
      double download = best(3, () -> http.send(HttpRequest.newBuilder(URI.create("http://" + registry.host() + "/v2/"
          + ref.repository() + "/blobs/sha256:" + digest)).build(), HttpResponse.BodyHandlers.discarding()));
      GateRunner gate = new GateRunner(new SourceReader(null, "bench", Set.of()), new TrustedKeys(null, "bench", null),
          false, new OciRegistryClient(Set.of(), Duration.ofSeconds(30)), dir.resolve("scratch"), false);
      ContentRolloutSpec spec = spec(digest, reference, "db.bin", GATE_BYTES);
      GateResult[] result = new GateResult[1];
      double gated = best(3, () -> result[0] = gate.run(spec).result());

      assertThat(result[0].outcome()).isEqualTo(GateResult.Outcome.PASSED);
      System.out.printf("[figure] gate on a %d MiB OCI layer: %.0f ms = %.0f MiB/s; the machine's plain sha256 of the"
              + " file: %.0f ms = %.0f MiB/s; the registry's download alone: %.0f ms = %.0f MiB/s; gate / sha256 = %.2f x%n",
          GATE_BYTES / MIB, gated, GATE_BYTES / MIB / (gated / 1000), sha, GATE_BYTES / MIB / (sha / 1000), download,
          GATE_BYTES / MIB / (download / 1000), sha / gated);
    }
  }

  @Test
  void nodesPullThroughTheRealRegistryUnderTheCap() throws Exception {
    KubernetesClient client = api.client();
    Chart.install(client);
    try (RegistryServer registry = new RegistryServer(false, true).start()) {
      Path file = OciArtifacts.randomContent(dir.resolve("rules.bin"), NODE_BYTES, 11);
      String digest = Digests.sha256Hex(file);
      String reference = new OciArtifacts(registry).push("bench/rules", "v1", file);
      OciReference ref = OciReference.parse(reference);
      int alreadyLogged = registry.blobPulls().size();

      // the registry's own limit: the same bytes moved by CAP clients at once, nothing else done with them
      HttpClient http = HttpClient.newHttpClient();
      ExecutorService pool = Executors.newFixedThreadPool(CAP);
      long ceilingStart = System.nanoTime();
      List<Future<?>> downloads = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        downloads.add(pool.submit(() -> http.send(HttpRequest.newBuilder(URI.create("http://" + registry.host()
            + "/v2/" + ref.repository() + "/blobs/sha256:" + digest)).build(), HttpResponse.BodyHandlers.discarding())));
      }
      for (Future<?> download : downloads) {
        download.get();
      }
      double ceiling = (System.nanoTime() - ceilingStart) / 1e6;
      pool.shutdown();
      int afterCeiling = registry.blobPulls().size();

      // closed in reverse: the operator stops before its fleet goes
      try (SimulatedFleet fleet = new SimulatedFleet(client, "bench", Map.of("broad", NODES),
          node -> Chart.asAgentOn(client, node));
          WavegateOperator operator = Chart.startOperator(client,
              Map.of("WAVEGATE_LEADER_ELECTION", "false"), new SimpleMeterRegistry())) {
        ContentRolloutSpec spec = spec(digest, reference, "rules.bin", NODE_BYTES);
        spec.getStrategy().setWaves(List.of(Rollouts.poolWave("broad", "0s")));
        spec.getStrategy().setMaxConcurrentPulls(CAP);
        long start = System.nanoTime();
        Rollouts.apply(client, "bench", spec);
        Rollouts.awaitPhase(client, "bench", digest, RolloutPhase.Succeeded, Duration.ofMinutes(10));
        double rollout = (System.nanoTime() - start) / 1e6;

        List<RegistryServer.Pull> pulls = registry.blobPulls().subList(afterCeiling, registry.blobPulls().size());
        assertThat(pulls).hasSizeGreaterThanOrEqualTo(NODES);
        System.out.printf("[figure] %d nodes pulling a %d MiB layer through the registry under maxConcurrentPulls %d:"
                + " rollout %.1f s; peak concurrent blob pulls the registry served %d (cap %d); the registry's own"
                + " limit, the same %d pulls by %d clients doing nothing else: %.1f s (peak %d)%n", NODES,
            NODE_BYTES / MIB, CAP, rollout / 1000, RegistryServer.peakConcurrency(pulls), CAP, NODES, CAP,
            ceiling / 1000, RegistryServer.peakConcurrency(registry.blobPulls().subList(alreadyLogged, afterCeiling)));
      }
    }
  }

  private static ContentRolloutSpec spec(String digest, String reference, String file, long maxBytes) {
    ContentRolloutSpec spec = Rollouts.overPools(digest, Rollouts.oci(reference, file), "0s", null);
    ValidationSpec validation = new ValidationSpec();
    validation.setMaxBytes(maxBytes);
    spec.setValidation(validation);
    return spec;
  }

  interface Step {
    void run() throws Exception;
  }

  /** The best of {@code runs} timings, in ms. */
  private static double best(int runs, Step step) throws Exception {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      step.run();
      best = Math.min(best, (System.nanoTime() - start) / 1e6);
    }
    return best;
  }
}
