package io.wavegate.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerImageBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.contract.AgentReport;
import io.wavegate.contract.Assignment;
import io.wavegate.delivery.NodeKeys;
import io.wavegate.health.CrashDetector;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The informer caches keep what the operator reads and drop the rest. */
class CachedObjectsTest {

  private static final Instant ASSIGNED = Instant.parse("2026-11-25T10:00:00Z");

  @Test
  void aCachedNodeKeepsLabelsChannelKeysReadinessAndBootIdOnly() {
    Assignment assignment = new Assignment("a".repeat(64), "canary", "ns/snap", "boot-1", true, ASSIGNED.toString());
    AgentReport report = new AgentReport("a".repeat(64), AgentReport.APPLIED, null, null, ASSIGNED.toString());
    Node full = new NodeBuilder().withNewMetadata().withName("n1").withUid("u1").withResourceVersion("42")
        .addToLabels("wavegate.io/pool", "canary").addToLabels("kubernetes.io/hostname", "n1")
        .addToAnnotations(NodeKeys.desired("sensor"), NodeKeys.toJson(assignment))
        .addToAnnotations(NodeKeys.reported("sensor"), NodeKeys.toJson(report))
        .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
        .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubelet").withOperation("Update").build())
        .endMetadata()
        .withNewSpec().withPodCIDR("10.0.0.0/24").addNewTaint().withKey("k").withEffect("NoSchedule").endTaint().endSpec()
        .withNewStatus()
        .addNewCondition().withType("MemoryPressure").withStatus("False").endCondition()
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .withNewNodeInfo().withBootID("boot-1").withKernelVersion("6.1").withOsImage("Ubuntu").endNodeInfo()
        .withImages(IntStream.range(0, 40).mapToObj(i -> new ContainerImageBuilder()
            .withNames("registry.example.com/team/image-" + i + "@sha256:" + "f".repeat(64)).withSizeBytes(1L << 26).build())
            .toList())
        .endStatus().build();

    Node cached = CachedNode.of(full);

    assertThat(cached.getMetadata().getName()).isEqualTo("n1");
    assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(cached.getMetadata().getLabels()).isEqualTo(full.getMetadata().getLabels());
    assertThat(NodeKeys.assignment(cached, "sensor")).contains(assignment);
    assertThat(NodeKeys.report(cached, "sensor")).contains(report);
    assertThat(cached.getMetadata().getAnnotations()).doesNotContainKey("node.alpha.kubernetes.io/ttl");
    assertThat(cached.getMetadata().getManagedFields()).isEmpty();
    assertThat(cached.getSpec()).isNull();
    assertThat(cached.getStatus().getConditions()).extracting(c -> c.getType()).containsExactly("Ready");
    assertThat(cached.getStatus().getNodeInfo().getBootID()).isEqualTo("boot-1");
    assertThat(cached.getStatus().getImages()).isEmpty();
    assertThat(Serialization.asJson(cached).length()).isLessThan(Serialization.asJson(full).length() / 5);
    assertThat(CachedNode.of(cached)).isEqualTo(cached);
  }

  @Test
  void aCachedPodKeepsWhatTheCrashDetectorReads() {
    Pod full = new PodBuilder().withNewMetadata().withName("sensor-1").withNamespace("agents").withResourceVersion("7")
        .addToLabels("app", "sensor").addToAnnotations("big", "x".repeat(1000)).endMetadata()
        .withNewSpec().withNodeName("n1").addNewContainer().withName("sensor").withImage("sensor:1")
        .addNewEnv().withName("LONG").withValue("y".repeat(1000)).endEnv().endContainer().endSpec()
        .withNewStatus().withPhase("Running").withPodIP("10.0.0.5")
        .addNewContainerStatus().withName("sensor").withImage("sensor:1").withRestartCount(1)
        .withNewLastState().withNewTerminated().withExitCode(139).withFinishedAt(ASSIGNED.plusSeconds(30).toString())
        .endTerminated().endLastState().endContainerStatus()
        .endStatus().build();

    Pod cached = CachedPod.of(full);

    assertThat(cached.getMetadata().getNamespace()).isEqualTo("agents");
    assertThat(cached.getMetadata().getLabels()).containsEntry("app", "sensor");
    assertThat(cached.getMetadata().getAnnotations()).isEmpty();
    assertThat(cached.getSpec().getNodeName()).isEqualTo("n1");
    assertThat(cached.getSpec().getContainers()).isEmpty();
    assertThat(CrashDetector.crashedSince(cached, ASSIGNED)).isTrue();
    assertThat(CrashDetector.crashedSince(cached, ASSIGNED.plusSeconds(60))).isFalse();
    assertThat(CachedPod.of(cached)).isEqualTo(cached);
  }
}
