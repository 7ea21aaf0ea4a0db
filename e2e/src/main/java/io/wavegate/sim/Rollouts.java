package io.wavegate.sim;

import io.wavegate.contract.Digests;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavegate.api.ContentRollout;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.ContentSource;
import io.wavegate.api.ContentSpec;
import io.wavegate.api.HealthGates;
import io.wavegate.api.KeyRef;
import io.wavegate.api.RolloutPhase;
import io.wavegate.api.StrategySpec;
import io.wavegate.api.WaveSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * What a platform team does with ContentRollouts, for the tests, the demo and the benchmark alike:
 * publish content, write a rollout over pools, apply it as kubectl would, act on it, wait for a phase.
 */
public final class Rollouts {

  private Rollouts() {}

  /**
   * A small binary channel file: a header, then rule records, then {@code marker} (what a stand-in
   * sensor crashes on; empty for good content).
   */
  public static byte[] channelFile(int version, String marker) {
    StringBuilder rules = new StringBuilder("WGCH v" + version + "\n");
    for (int i = 0; i < 64; i++) {
      rules.append("rule-").append(version).append('-').append(i).append(" match=proc:").append(i * 7919 % 1000)
          .append('\n');
    }
    return rules.append(marker).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Stores the bytes under {@code key} of ConfigMap {@code namespace/name} and returns their sha256. */
  public static String publish(KubernetesClient client, String namespace, String name, String key, byte[] bytes) {
    client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
        .withNamespace(namespace).endMetadata().addToBinaryData(key, Base64.getEncoder().encodeToString(bytes)).build())
        .serverSideApply();
    return Digests.sha256Hex(bytes);
  }

  /**
   * Three waves over pools canary, early and broad (only the canary bakes), crashing pods labelled
   * app=sensor watched; the fleet is the nodes with {@code nodeSelector}, or every node when null.
   */
  public static ContentRolloutSpec overPools(String digest, KeyRef source, String canaryBake,
      Map<String, String> nodeSelector) {
    ContentSource ref = new ContentSource();
    ref.setConfigMapRef(source);
    return overPools(digest, ref, canaryBake, nodeSelector);
  }

  /** As above, from any source (a Secret, an OCI artifact). */
  public static ContentRolloutSpec overPools(String digest, ContentSource source, String canaryBake,
      Map<String, String> nodeSelector) {
    ContentSpec content = new ContentSpec();
    content.setSha256(digest);
    content.setSource(source);
    StrategySpec strategy = new StrategySpec();
    strategy.setWaves(List.of(poolWave("canary", canaryBake), poolWave("early", "0s"), poolWave("broad", "0s")));
    HealthGates gates = new HealthGates();
    gates.setCrashingPodSelector(new LabelSelectorBuilder().addToMatchLabels("app", "sensor").build());
    strategy.setHealthGates(gates);
    ContentRolloutSpec spec = new ContentRolloutSpec();
    spec.setContent(content);
    spec.setStrategy(strategy);
    if (nodeSelector != null) {
      spec.setNodeSelector(new LabelSelectorBuilder().addToMatchLabels(nodeSelector).build());
    }
    return spec;
  }

  /** One file of an OCI artifact as a content source. */
  public static ContentSource oci(String reference, String file) {
    ContentSource source = new ContentSource();
    source.setOci(new io.wavegate.api.OciSource(reference, file));
    return source;
  }

  /** A wave made of one pool. */
  public static WaveSpec poolWave(String pool, String bakeTime) {
    WaveSpec wave = new WaveSpec();
    wave.setName(pool);
    wave.setPools(List.of(pool));
    wave.setBakeTime(bakeTime);
    return wave;
  }

  public static ContentRollout named(String name, ContentRolloutSpec spec) {
    ContentRollout rollout = new ContentRollout();
    rollout.setMetadata(new ObjectMetaBuilder().withName(name).build());
    rollout.setSpec(spec);
    return rollout;
  }

  /**
   * Creates the rollout, or changes the spec of the existing one as `kubectl apply` would: a merge
   * patch of spec only, so it never conflicts with the operator's status writes.
   */
  public static void apply(KubernetesClient client, String name, ContentRolloutSpec spec) {
    if (client.resources(ContentRollout.class).withName(name).get() == null) {
      client.resource(named(name, spec)).create();
    } else {
      client.resources(ContentRollout.class).withName(name)
          .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("spec", spec)));
    }
  }

  /**
   * The spec as written, replacing the one before, as `kubectl apply` of a changed file does (a merge
   * patch would keep a source the new spec no longer names).
   */
  public static void replace(KubernetesClient client, String name, ContentRolloutSpec spec) {
    if (client.resources(ContentRollout.class).withName(name).get() == null) {
      client.resource(named(name, spec)).create();
    } else {
      client.resources(ContentRollout.class).withName(name).edit(rollout -> {
        rollout.setSpec(spec);
        return rollout;
      });
    }
  }

  /** As `kubectl annotate contentrollout NAME KEY=true` would. */
  public static void annotate(KubernetesClient client, String name, String key) {
    client.resources(ContentRollout.class).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"" + key + "\":\"true\"}}}");
  }

  public static ContentRolloutStatus status(KubernetesClient client, String name) {
    ContentRollout rollout = client.resources(ContentRollout.class).withName(name).get();
    return rollout == null ? null : rollout.getStatus();
  }

  /** Waits until the rollout reaches the phase and returns its status; fails with the last status seen. */
  public static ContentRolloutStatus awaitPhase(KubernetesClient client, String name, RolloutPhase phase,
      Duration atMost) {
    return awaitPhase(client, name, null, phase, atMost);
  }

  /** As above, for revision {@code digest} (not an earlier revision that had reached the same phase). */
  public static ContentRolloutStatus awaitPhase(KubernetesClient client, String name, String digest, RolloutPhase phase,
      Duration atMost) {
    long deadline = System.nanoTime() + atMost.toNanos();
    ContentRolloutStatus last = null;
    while (System.nanoTime() < deadline) {
      last = status(client, name);
      if (last != null && last.getPhase() == phase && (digest == null || digest.equals(last.getRevisionDigest()))) {
        return last;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError(name + " did not reach " + phase + " within " + atMost + "; last status: "
        + (last == null ? "none" : Serialization.asJson(last)));
  }
}
