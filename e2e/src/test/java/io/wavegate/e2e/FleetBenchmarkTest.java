package io.wavegate.e2e;

import io.wavegate.contract.NodeContent;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegate.bench.FleetBenchmark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * `scripts/bench.sh` at a small size, so that the benchmark keeps working: it must finish and print
 * every figure (the operator's from its own process), and every node must come back on the stable revision after the broad-wave breach. The
 * figures themselves are not asserted (docs/benchmarks.md has the 5,000-node ones).
 */
class FleetBenchmarkTest {

  @Test
  void aSmallRunPrintsEveryFigure() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    FleetBenchmark.run(100, 2, new PrintStream(buffer, true, StandardCharsets.UTF_8));

    String printed = buffer.toString(StandardCharsets.UTF_8);
    System.out.println(printed);
    String number = " +[0-9]+\\.[0-9]";
    assertThat(printed).containsPattern("\\[figure] CEILING: parallel Node merge patches.*" + number + " writes/s");
    assertThat(printed).containsPattern("\\[figure] CEILING: parallel NodeContent spec applies.*" + number + " writes/s");
    assertThat(printed).containsPattern("\\[figure] CEILING: parallel NodeContent status applies.*" + number + " writes/s");
    assertThat(printed).containsPattern("\\[figure] rollout of 100 nodes, 3 waves, zero bake" + number
        + " s = [0-9.]+ x the ceiling's");
    assertThat(printed).containsPattern("\\[figure]   where the time goes: wave broad .*" + number);
    assertThat(printed).containsPattern("\\[figure] Node watch events pushed to each cluster-wide Node watcher" + ".*"
        + number + " events");
    assertThat(printed).containsPattern("\\[figure] operator node writes \\(NodeContent applies\\) for that revision"
        + number + " for 100 nodes");
    assertThat(printed).containsPattern("\\[figure] operator node writes in the 10 s after Succeeded" + ".*" + number);
    assertThat(printed).containsPattern("\\[figure] agents at steady state: revocation bytes per second per node" + number);
    assertThat(printed).containsPattern("\\[figure] breach .* first rollback action .* 2 samples, p50" + number);
    assertThat(printed).containsPattern("\\[figure]   broad-wave breach: nodes back on the stable revision \\(of the"
        + " 100 holding the bad one\\) +100\\.0 nodes");
    assertThat(printed).containsPattern("\\[figure] breach in the broad wave -> every updated node back .*" + number);
    assertThat(printed).containsPattern("\\[figure] decision .* p50 \\(wall\\)" + number);
    assertThat(printed).containsPattern("\\[figure] decision .* p50 \\(CPU time\\)" + number);
    assertThat(printed).containsPattern("\\[figure] the operator's CPU for the rollout, as a share of the API server's"
        + ".*" + number + " x");
    assertThat(printed).containsPattern("\\[memory] the operator started, before any rollout: operator heap after GC"
        + " [0-9.]+ MiB, resident [0-9.]+ MiB");
    assertThat(printed).containsPattern("\\[figure] operator resident memory \\(its own process\\)" + number);
    assertThat(printed).containsPattern("\\[figure] whole reconcile .*" + number);
    assertThat(printed).containsPattern("\\[figure] 49 more rollouts.* all Succeeded" + number);
    assertThat(printed).containsPattern("\\[figure] operator heap after GC \\(its own process\\)" + number
        + " MiB with 100 nodes and 50 rollouts");
  }
}
