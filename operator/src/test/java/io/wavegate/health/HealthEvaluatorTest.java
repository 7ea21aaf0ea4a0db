package io.wavegate.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.wavegate.plan.CountOrPercent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HealthEvaluatorTest {

  private static final HealthLimits ZERO = limits(0, 0, 0, 0);

  @Test
  void healthyNodesPassEveryGate() {
    HealthReport report = HealthEvaluator.evaluate(List.of(healthy("a"), healthy("b")), ZERO);
    assertThat(report.breaches()).isEmpty();
    assertThat(report.offendingNodes()).isEmpty();
  }

  @Test
  void aRebootIsABreach() {
    NodeSignals rebooted = new NodeSignals("a", true, true, "boot-1", "boot-2", null, 0);
    HealthReport report = HealthEvaluator.evaluate(List.of(rebooted, healthy("b")), ZERO);
    assertThat(report.nodeReboots()).isEqualTo(1);
    assertThat(report.firstBreach()).get().satisfies(b -> {
      assertThat(b.signal()).isEqualTo(Signal.NodesRebooted);
      assertThat(b.message()).isEqualTo("1 node reboots, maxNodeReboots allows 0: a");
    });
  }

  @Test
  void unreadyCountsOnlyNodesThatWereReadyAtAssignment() {
    NodeSignals wentDown = new NodeSignals("a", true, false, "b", "b", null, 0);
    NodeSignals wasAlreadyDown = new NodeSignals("b", false, false, "b", "b", null, 0);
    HealthReport report = HealthEvaluator.evaluate(List.of(wentDown, wasAlreadyDown), ZERO);
    assertThat(report.unreadyNodes()).isEqualTo(1);
    assertThat(report.firstBreach().get().nodes()).containsExactly("a");

    assertThat(HealthEvaluator.evaluate(List.of(wasAlreadyDown), ZERO).breaches()).isEmpty();
  }

  @Test
  void crashingPodsAndContentFailuresAreCounted() {
    NodeSignals crashing = new NodeSignals("a", true, true, "b", "b", null, 2);
    NodeSignals failed = new NodeSignals("b", true, true, "b", "b", "DigestMismatch", 0);
    HealthReport report = HealthEvaluator.evaluate(List.of(crashing, failed), limits(0, 0, 2, 0));
    assertThat(report.crashingPods()).isEqualTo(2);
    assertThat(report.contentFailures()).isEqualTo(1);
    assertThat(report.breaches()).extracting(Breach::signal).containsExactly(Signal.ContentFailures);
    assertThat(report.offendingNodes()).containsExactly("a", "b");
  }

  @Test
  void percentLimitsAreTakenOfTheUpdatedNodesAndRoundDown() {
    List<NodeSignals> nodes = new ArrayList<>(IntStream.range(0, 98).mapToObj(i -> healthy("n" + i)).toList());
    nodes.add(new NodeSignals("down-1", true, false, "b", "b", null, 0));
    nodes.add(new NodeSignals("down-2", true, false, "b", "b", null, 0));
    HealthLimits twoPercent = new HealthLimits(CountOrPercent.of(new IntOrString("2%"), 0),
        CountOrPercent.of(null, 0), CountOrPercent.of(null, 0), CountOrPercent.of(null, 0));
    assertThat(HealthEvaluator.evaluate(nodes, twoPercent).breaches()).isEmpty();
    nodes.add(new NodeSignals("down-3", true, false, "b", "b", null, 0));
    assertThat(HealthEvaluator.evaluate(nodes, twoPercent).firstBreach().get().signal()).isEqualTo(Signal.NodesUnready);
  }

  @Test
  void breachMessageCapsTheNodeList() {
    List<String> nodes = IntStream.range(0, 14).mapToObj(i -> "n" + i).toList();
    assertThat(new Breach(Signal.NodesUnready, 14, 0, nodes).message()).endsWith("n9 and 4 more");
  }

  @Test
  void crashDetectionLooksAtTerminationsAfterAssignmentAndCrashLoops() {
    Instant assigned = Instant.parse("2026-01-01T10:00:00Z");
    assertThat(CrashDetector.crashedSince(terminatedAt("2026-01-01T10:00:05Z", 139), assigned)).isTrue();
    assertThat(CrashDetector.crashedSince(terminatedAt("2026-01-01T09:59:00Z", 139), assigned)).isFalse();
    assertThat(CrashDetector.crashedSince(terminatedAt("2026-01-01T10:00:05Z", 0), assigned)).isFalse();
    Pod crashLoop = new PodBuilder().withNewStatus().addNewContainerStatus().withName("sensor").withNewState()
        .withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState().endContainerStatus().endStatus().build();
    assertThat(CrashDetector.crashedSince(crashLoop, assigned)).isTrue();
  }

  private static Pod terminatedAt(String finishedAt, int exitCode) {
    return new PodBuilder().withNewStatus().addNewContainerStatus().withName("sensor").withNewLastState()
        .withNewTerminated().withFinishedAt(finishedAt).withExitCode(exitCode).endTerminated().endLastState()
        .endContainerStatus().endStatus().build();
  }

  private static NodeSignals healthy(String name) {
    return new NodeSignals(name, true, true, "boot", "boot", null, 0);
  }

  private static HealthLimits limits(int unready, int reboots, int crashing, int failures) {
    return new HealthLimits(new CountOrPercent(unready, null), new CountOrPercent(reboots, null),
        new CountOrPercent(crashing, null), new CountOrPercent(failures, null));
  }
}
