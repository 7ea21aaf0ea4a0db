package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.ContentSource;
import io.wavegate.api.KeyRef;
import io.wavegate.api.ObjectRef;
import io.wavegate.api.RolloutPhase;
import io.wavegate.api.ValidationSpec;
import io.wavegate.api.ValidatorJobSpec;
import io.wavegate.contract.Digests;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.sim.BasicAuthUser;
import io.wavegate.e2e.support.InstalledProduct;
import io.wavegate.sim.JarProcess;
import io.wavegate.e2e.support.JobController;
import io.wavegate.sim.OciArtifacts;
import io.wavegate.sim.RegistryServer;
import io.wavegate.sim.Chart;
import io.wavegate.sim.Kubelet;
import io.wavegate.sim.Rollouts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCI content end to end, as installed: the chart on a real API server, the operator and three node
 * agents as the packaged jars with the chart's identities, and a real registry (CNCF distribution)
 * the artifacts are pushed to with the ORAS Java SDK. Each scenario has a channel of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OciContentTest {

  static final List<String> NODES = List.of("canary-0", "early-0", "broad-0");
  static final long MIB = 1024 * 1024;

  @RegisterExtension
  static final ApiServer api = new ApiServer();

  @TempDir
  static Path dir;

  private static KubernetesClient admin;
  private static InstalledProduct product;
  private static RegistryServer registry;
  private static RegistryServer guarded;

  @BeforeAll
  static void install() throws Exception {
    registry = new RegistryServer(false).start();
    guarded = new RegistryServer(true).start();
    admin = api.client();
    product = InstalledProduct.install(api);
    product.addNodes(NODES);
    Path agentCredentials = Files.writeString(dir.resolve("agent-registry.json"),
        guarded.dockerConfigJson(BasicAuthUser.PASSWORD).orElseThrow());
    for (String node : NODES) {
      Path bootId = Files.writeString(dir.resolve(node + ".boot_id"), "boot-" + node + "\n");
      // the file the chart mounts from oci.agentPullSecret
      product.startAgent(node, disk(node), bootId, Map.of("WAVEGATE_AGENT_RESYNC", "3s",
          "WAVEGATE_REGISTRY_AUTH_FILE", agentCredentials.toString()));
    }
    product.startOperator("wavegate-operator-a", Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    product.close();
    registry.close();
    guarded.close();
  }

  @Test
  @Order(1)
  void a64MiBArtifactGoesThroughThreeWavesPulledByDigest() throws Exception {
    Path file = OciArtifacts.randomContent(dir.resolve("signatures.db"), 64 * MIB, 1);
    String digest = sha256(file);
    String reference = new OciArtifacts(registry).push("content/av", "2026.12.02", file);

    apply("big", digest, oci(reference, "signatures.db"), 128 * MIB, "1s");

    ContentRolloutStatus done = Rollouts.awaitPhase(admin, "big", digest, RolloutPhase.Succeeded, Duration.ofMinutes(3));
    assertThat(done.getWaves()).extracting(w -> w.getName()).containsExactly("canary", "early", "broad");
    for (String node : NODES) {
      assertThat(sha256(disk(node).resolve("big").resolve("signatures.db"))).as(node).isEqualTo(digest);
    }
    assertThat(admin.configMaps().inNamespace(Chart.SNAPSHOTS).list().getItems())
        .filteredOn(c -> c.getMetadata().getName().startsWith("wavegate-big-"))
        .singleElement().satisfies(snapshot -> {
          assertThat(snapshot.getBinaryData()).as("no copy of the bytes in the cluster").isNullOrEmpty();
          assertThat(snapshot.getMetadata().getAnnotations()).containsEntry("wavegate.io/oci-reference", reference);
        });
  }

  @Test
  @Order(2)
  void aReferenceWithoutAManifestDigestIsRefusedAtAdmission() {
    String digest = Digests.sha256Hex("x".getBytes(StandardCharsets.UTF_8));
    ContentRolloutSpec spec = spec(digest, oci(registry.host() + "/content/av:latest", "x"), MIB, "1s");

    assertThatThrownBy(() -> admin.resource(Rollouts.named("tagged", spec)).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains("oci.reference must be pinned by manifest digest");
        });
  }

  @Test
  @Order(3)
  void aLayerWhoseBytesAreNotContentSha256IsRejectedAndNoNodeIsTouched() throws Exception {
    Path file = Files.writeString(dir.resolve("policy.json"), "{\"block\": [\"evil.exe\"]}");
    String reference = new OciArtifacts(registry).push("content/policy", "v1", file);
    String claimed = Digests.sha256Hex("what the publisher meant".getBytes(StandardCharsets.UTF_8));

    apply("mismatch", claimed, oci(reference, "policy.json"), MIB, "1s");

    ContentRolloutStatus rejected = Rollouts.awaitPhase(admin, "mismatch", RolloutPhase.Rejected, Duration.ofSeconds(60));
    assertThat(rejected.getGate().getReason()).isEqualTo("DigestMismatch");
    assertThat(rejected.getGate().getMessage()).contains(sha256(file), claimed);
    assertThat(NODES).allSatisfy(node -> assertThat(disk(node).resolve("mismatch")).doesNotExist());
  }

  @Test
  @Order(4)
  void a100MiBZeroFilledLayerIsRejectedWhileItStreams() throws Exception {
    Path zeros = dir.resolve("C-00000291.sys");
    try (var channel = Files.newByteChannel(zeros, java.nio.file.StandardOpenOption.CREATE_NEW,
        java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
      channel.position(100 * MIB - 1).write(java.nio.ByteBuffer.wrap(new byte[1]));
    }
    String digest = sha256(zeros);
    String reference = new OciArtifacts(registry).push("content/channel-291", "v33", zeros);

    apply("zeros", digest, oci(reference, "C-00000291.sys"), 256 * MIB, "1s");

    ContentRolloutStatus rejected = Rollouts.awaitPhase(admin, "zeros", RolloutPhase.Rejected, Duration.ofMinutes(2));
    assertThat(rejected.getGate().getReason()).isEqualTo("ZeroFilled");
    assertThat(rejected.getGate().getMessage()).contains("content is " + 100 * MIB + " bytes, all of them zero");
    assertThat(NODES).allSatisfy(node -> assertThat(disk(node).resolve("zeros")).doesNotExist());
  }

  @Test
  @Order(5)
  void wrongCredentialsNameTheRegistryAndThe401AndRightOnesLetItThrough() throws Exception {
    Path file = Files.writeString(dir.resolve("rules.yar"), "rule demo { condition: true }\n");
    String reference = new OciArtifacts(guarded).push("content/yara", "v1", file);
    pullSecret("registry-wrong", guarded.dockerConfigJson("not-the-password").orElseThrow());
    ContentSource source = oci(reference, "rules.yar");
    source.getOci().setPullSecretRef(new ObjectRef(null, "registry-wrong"));

    apply("guarded", sha256(file), source, MIB, "1s");

    ContentRolloutStatus waiting = await().atMost(Duration.ofSeconds(60)).until(() -> Rollouts.status(admin, "guarded"),
        s -> s != null && s.getGate() != null && "RegistryRefused".equals(s.getGate().getReason()));
    assertThat(waiting.getGate().getMessage()).contains("registry " + guarded.host(), "401 Unauthorized");
    assertThat(waiting.getPhase()).as("a fault of the source, not of the content").isNotEqualTo(RolloutPhase.Rejected);

    pullSecret("registry-wrong", guarded.dockerConfigJson(BasicAuthUser.PASSWORD).orElseThrow());
    Rollouts.awaitPhase(admin, "guarded", RolloutPhase.Succeeded, Duration.ofSeconds(90));
  }

  @Test
  @Order(6)
  void aRegistryStoppedMidWaveMakesTheWaveWaitAndItGoesOnWhenTheRegistryIsBack() throws Exception {
    Path file = OciArtifacts.randomContent(dir.resolve("outage.bin"), MIB, 2);
    String digest = sha256(file);
    String reference = new OciArtifacts(registry).push("content/outage", "v1", file);

    apply("outage", digest, oci(reference, "outage.bin"), 2 * MIB, "8s");
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(disk("canary-0").resolve("outage/outage.bin")));
    registry.stop();
    try {
      ContentRolloutStatus waiting = await().atMost(Duration.ofSeconds(60)).until(() -> Rollouts.status(admin, "outage"),
          s -> s.getWait() != null && "NodeFaults".equals(s.getWait().getReason()));
      assertThat(waiting.getWait().getMessage()).contains("early-0 (RegistryUnavailable: registry " + registry.host());
      Thread.sleep(5_000);
      assertThat(Rollouts.status(admin, "outage").getPhase()).as("a registry outage never rolls back")
          .isEqualTo(RolloutPhase.Progressing);
    } finally {
      registry.start();
    }
    Rollouts.awaitPhase(admin, "outage", digest, RolloutPhase.Succeeded, Duration.ofSeconds(90));
    assertThat(sha256(disk("broad-0").resolve("outage/outage.bin"))).isEqualTo(digest);
  }

  @Test
  @Order(7)
  void aBreachDuringAnOciRolloutRevertsEveryNodeWithTheRegistryStopped() throws Exception {
    Path v1 = OciArtifacts.randomContent(dir.resolve("v1/sensor.bin"), MIB, 3);
    Path v2 = OciArtifacts.randomContent(dir.resolve("v2/sensor.bin"), MIB, 4);
    OciArtifacts artifacts = new OciArtifacts(registry);
    String stable = sha256(v1);
    apply("breach", stable, oci(artifacts.push("content/sensor", "v1", v1), "sensor.bin"), 2 * MIB, "1s");
    Rollouts.awaitPhase(admin, "breach", stable, RolloutPhase.Succeeded, Duration.ofSeconds(90));
    String bad = sha256(v2);
    apply("breach", bad, oci(artifacts.push("content/sensor", "v2", v2), "sensor.bin"), 2 * MIB, "60s");
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> sha256(disk("canary-0").resolve("breach/sensor.bin")).equals(bad));

    registry.stop();
    try {
      Kubelet.reportStatus(admin, "canary-0", true, "boot-canary-0-after-panic", List.of());
      ContentRolloutStatus rolledBack = Rollouts.awaitPhase(admin, "breach", RolloutPhase.RolledBack,
          Duration.ofSeconds(60));
      assertThat(rolledBack.getStall().getReason()).isEqualTo("NodesRebooted");
      for (String node : NODES) {
        assertThat(sha256(disk(node).resolve("breach/sensor.bin"))).as(node + ", without the registry").isEqualTo(stable);
      }
    } finally {
      registry.start();
    }
  }

  @Test
  @Order(8)
  void contentSwitchedFromAConfigMapToOciAndBackGoesForwardAndBack() throws Exception {
    byte[] v1 = "rules v1 from a ConfigMap\n".getBytes(StandardCharsets.UTF_8);
    String first = Rollouts.publish(admin, Chart.NAMESPACE, "switch-v1", "switch.rules", v1);
    ContentSource configMap = new ContentSource();
    configMap.setConfigMapRef(new KeyRef(null, "switch-v1", "switch.rules"));
    apply("switch", first, configMap, MIB, "1s");
    Rollouts.awaitPhase(admin, "switch", first, RolloutPhase.Succeeded, Duration.ofSeconds(90));

    Path v2 = Files.writeString(dir.resolve("switch.rules"), "rules v2 from a registry\n");
    String second = sha256(v2);
    apply("switch", second, oci(new OciArtifacts(registry).push("content/switch", "v2", v2), "switch.rules"), MIB, "1s");
    Rollouts.awaitPhase(admin, "switch", second, RolloutPhase.Succeeded, Duration.ofSeconds(90));
    assertThat(NODES).allSatisfy(node -> assertThat(disk(node).resolve("switch/switch.rules")).hasContent(
        "rules v2 from a registry"));

    apply("switch", first, configMap, MIB, "1s");
    Rollouts.awaitPhase(admin, "switch", first, RolloutPhase.Succeeded, Duration.ofSeconds(90));
    assertThat(NODES).allSatisfy(node -> assertThat(Files.readAllBytes(disk(node).resolve("switch/switch.rules")))
        .isEqualTo(v1));
  }

  @Test
  @Order(9)
  void aValidatorJobLoadsOciContentFetchedByTheAgentsImageWithTheGatesCredentials() throws Exception {
    Path file = Files.writeString(dir.resolve("validated.rules"), "rules the real consumer loads first\n");
    String digest = sha256(file);
    String reference = new OciArtifacts(guarded).push("content/validated", "v1", file);
    pullSecret("registry-right", guarded.dockerConfigJson(BasicAuthUser.PASSWORD).orElseThrow());
    ContentSource source = oci(reference, "validated.rules");
    source.getOci().setPullSecretRef(new ObjectRef(null, "registry-right"));
    ContentRolloutSpec spec = spec(digest, source, MIB, "1s");
    ValidatorJobSpec validator = new ValidatorJobSpec();
    validator.setTemplate(new PodTemplateSpecBuilder().withNewSpec().addNewContainer().withName("load")
        .withImage("sensor:7.1").withCommand("sensor", "--load", "/content/validated.rules").endContainer().endSpec()
        .build());
    spec.getValidation().setValidatorJob(validator);
    admin.resource(Rollouts.named("validated", spec)).create();

    Job job = await().atMost(Duration.ofSeconds(60)).until(() -> admin.batch().v1().jobs().inNamespace(Chart.VALIDATORS)
        .withName("wavegate-validate-validated-" + Digests.shortRevision(digest)).get(), java.util.Objects::nonNull);
    Container fetch = job.getSpec().getTemplate().getSpec().getInitContainers().get(0);
    assertThat(fetch.getName()).isEqualTo("wavegate-fetch");
    assertThat(fetch.getImage()).isEqualTo(Chart.operatorEnvironment(admin).get("WAVEGATE_AGENT_IMAGE"));
    assertThat(fetch.getArgs()).containsExactly("fetch", reference, digest, "/content/validated.rules");
    Secret credentials = admin.secrets().inNamespace(Chart.VALIDATORS).withName(job.getMetadata().getName()).get();
    assertThat(credentials.getType()).isEqualTo("kubernetes.io/dockerconfigjson");

    // plays the kubelet: the init container's command, as the agent's jar, with the Secret mounted as a file
    Path emptyDir = Files.createDirectories(dir.resolve("validator-content"));
    Path mounted = Files.write(dir.resolve("validator-registry.json"),
        java.util.Base64.getDecoder().decode(credentials.getData().get(".dockerconfigjson")));
    List<String> args = new java.util.ArrayList<>(fetch.getArgs());
    args.set(3, emptyDir.resolve("validated.rules").toString());
    Process init = JarProcess.start(api.kubeconfigYaml(), List.of(), JarProcess.Jar.AGENT, args,
        Map.of("WAVEGATE_REGISTRY_AUTH_FILE", mounted.toString()));
    assertThat(init.waitFor()).as(JarProcess.log(init)).isZero();
    assertThat(sha256(emptyDir.resolve("validated.rules"))).isEqualTo(digest);
    JobController.finish(admin, job, true); // the consumer loaded it and exited 0

    ContentRolloutStatus done = Rollouts.awaitPhase(admin, "validated", digest, RolloutPhase.Succeeded,
        Duration.ofSeconds(90));
    assertThat(done.getGate().getMessage()).contains("loaded the content and exited 0");
  }

  private static void apply(String name, String digest, ContentSource source, long maxBytes, String canaryBake) {
    Rollouts.replace(admin, name, spec(digest, source, maxBytes, canaryBake));
  }

  private static ContentRolloutSpec spec(String digest, ContentSource source, long maxBytes, String canaryBake) {
    ContentRolloutSpec spec = Rollouts.overPools(digest, source, canaryBake, null);
    ValidationSpec validation = new ValidationSpec();
    validation.setMaxBytes(maxBytes);
    spec.setValidation(validation);
    return spec;
  }

  private static ContentSource oci(String reference, String file) {
    return Rollouts.oci(reference, file);
  }

  private static void pullSecret(String name, String dockerConfigJson) {
    admin.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(Chart.NAMESPACE).endMetadata()
        .withType("kubernetes.io/dockerconfigjson").addToStringData(".dockerconfigjson", dockerConfigJson).build())
        .serverSideApply();
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest sha = Digests.sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1024 * 1024];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        sha.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static Path disk(String node) {
    return dir.resolve("disks").resolve(node);
  }
}
