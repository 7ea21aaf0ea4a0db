package io.wavegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavegate.api.ContentRolloutSpec;
import io.wavegate.api.ContentRolloutStatus;
import io.wavegate.api.RolloutPhase;
import io.wavegate.contract.Digests;
import io.wavegate.e2e.support.ApiServer;
import io.wavegate.e2e.support.InstalledProduct;
import io.wavegate.sim.OciArtifacts;
import io.wavegate.sim.ProvisionedTool;
import io.wavegate.sim.RegistryServer;
import io.wavegate.sim.Rollouts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * cosign signatures of OCI artifacts, as installed with signatures required: the publisher signs with the
 * real cosign CLI (scripts/cosign.sh) against a real registry; the cluster admin trusts the publisher's
 * cosign.pub through the chart's signatures.trustedKeys.
 */
class OciSignatureTest {

  static final String PASSWORD = "publisher-key-password";

  @RegisterExtension
  static final ApiServer api = new ApiServer();

  @TempDir
  static Path dir;

  private static KubernetesClient admin;
  private static InstalledProduct product;
  private static RegistryServer registry;
  private static Path cosign;

  @BeforeAll
  static void install() throws Exception {
    cosign = ProvisionedTool.path("wavegate.cosign", "WAVEGATE_COSIGN_BIN", "scripts/cosign.sh");
    registry = new RegistryServer(false).start();
    Path publisher = Files.createDirectories(dir.resolve("publisher"));
    Files.createDirectories(dir.resolve("stranger"));
    run(publisher, "generate-key-pair");
    run(dir.resolve("stranger"), "generate-key-pair");
    admin = api.client();
    product = InstalledProduct.install(api, "--set", "signatures.required=true",
        "--set-file", "signatures.trustedKeys.release-2026=" + publisher.resolve("cosign.pub"));
    product.addNodes(List.of("canary-0"));
    product.startAgent("canary-0", dir.resolve("disk"), Files.writeString(dir.resolve("boot_id"), "boot-canary-0\n"),
        Map.of("WAVEGATE_AGENT_RESYNC", "3s"));
    product.startOperator("wavegate-operator-a", Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    product.close();
    registry.close();
  }

  @Test
  void anArtifactSignedWithCosignByATrustedKeyGoesOut() throws Exception {
    Path file = Files.writeString(dir.resolve("signed.rules"), "rules signed by the publisher\n");
    String reference = new OciArtifacts(registry).push("content/signed", "v1", file);
    run(dir.resolve("publisher"), "sign", "--key", "cosign.key", "--tlog-upload=false", "--yes",
        "--allow-http-registry", reference);

    ContentRolloutStatus done = rollout("signed", file, reference, RolloutPhase.Succeeded);

    assertThat(done.getGate().getMessage()).contains("cosign signature of " + reference.substring(reference.indexOf('@') + 1),
        "trusted key release-2026");
    assertThat(dir.resolve("disk/signed/signed.rules")).hasContent("rules signed by the publisher");
  }

  @Test
  void anUnsignedArtifactIsRejectedUnsignedWhenSignaturesAreRequired() throws Exception {
    Path file = Files.writeString(dir.resolve("unsigned.rules"), "rules nobody signed\n");
    String reference = new OciArtifacts(registry).push("content/unsigned", "v1", file);

    ContentRolloutStatus rejected = rollout("unsigned", file, reference, RolloutPhase.Rejected);

    assertThat(rejected.getGate().getReason()).isEqualTo("Unsigned");
    assertThat(rejected.getGate().getMessage()).contains("carries neither a cosign signature by a trusted key");
    assertThat(dir.resolve("disk/unsigned")).doesNotExist();
  }

  @Test
  void anArtifactSignedByAKeyTheClusterDoesNotTrustIsRejected() throws Exception {
    Path file = Files.writeString(dir.resolve("stranger.rules"), "rules signed by someone else\n");
    String reference = new OciArtifacts(registry).push("content/stranger", "v1", file);
    run(dir.resolve("stranger"), "sign", "--key", "cosign.key", "--tlog-upload=false", "--yes",
        "--allow-http-registry", reference);

    ContentRolloutStatus rejected = rollout("stranger", file, reference, RolloutPhase.Rejected);

    assertThat(rejected.getGate().getReason()).isEqualTo("BadSignature");
    assertThat(rejected.getGate().getMessage()).contains("no cosign signature of", "verifies against a trusted key");
  }

  private static ContentRolloutStatus rollout(String name, Path file, String reference, RolloutPhase phase)
      throws IOException {
    String digest = Digests.sha256Hex(Files.readAllBytes(file));
    ContentRolloutSpec spec = Rollouts.overPools(digest, Rollouts.oci(reference, file.getFileName().toString()), "1s",
        null);
    spec.getStrategy().setWaves(List.of(Rollouts.poolWave("canary", "1s")));
    Rollouts.apply(admin, name, spec);
    return Rollouts.awaitPhase(admin, name, digest, phase, Duration.ofSeconds(90));
  }

  /** The cosign CLI in {@code workDir}, as a publisher's pipeline runs it; fails with its output. */
  private static void run(Path workDir, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(cosign.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().put("COSIGN_PASSWORD", PASSWORD);
    builder.environment().put("HOME", workDir.toString());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("cosign " + String.join(" ", args) + " failed: " + out);
    }
  }

}
