package io.wavegate.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavegate.contract.Digests;
import io.wavegate.contract.oci.OciCredentials;
import io.wavegate.contract.oci.OciException;
import io.wavegate.contract.oci.OciManifest;
import io.wavegate.contract.oci.OciReference;
import io.wavegate.contract.oci.OciRegistryClient;
import io.wavegate.sim.BasicAuthUser;
import io.wavegate.sim.OciArtifacts;
import io.wavegate.sim.RegistryServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wavegate's puller against a real registry, the artifacts pushed by the ORAS Java SDK. */
class OciRegistryClientTest {

  static RegistryServer open;
  static RegistryServer guarded;
  static final OciRegistryClient CLIENT = new OciRegistryClient(Set.of(), Duration.ofSeconds(10));
  @TempDir
  Path dir;

  @BeforeAll
  static void registries() throws Exception {
    open = new RegistryServer(false).start();
    guarded = new RegistryServer(true).start();
  }

  @AfterAll
  static void stop() throws Exception {
    open.close();
    guarded.close();
  }

  @Test
  void pullsTheTitledLayerByDigestAndStreamsItsVerifiedBytes() throws Exception {
    byte[] content = "rule one\nrule two\n".getBytes(StandardCharsets.UTF_8);
    Path file = Files.write(dir.resolve("rules.yaml"), content);
    OciReference ref = OciReference.parse(new OciArtifacts(open).push("sensor/rules", "v1", file));

    OciManifest manifest = CLIENT.manifest(ref, Optional.empty());
    OciManifest.Layer layer = manifest.select("rules.yaml", null).layer().orElseThrow();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long size = CLIENT.blob(ref, layer.digest(), Long.MAX_VALUE, Optional.empty(), out);

    assertThat(layer.digest()).isEqualTo("sha256:" + Digests.sha256Hex(content));
    assertThat(size).isEqualTo(content.length);
    assertThat(out.toByteArray()).isEqualTo(content);
    assertThat(manifest.select("other.yaml", null).problem()).contains("no layer titled other.yaml", "rules.yaml");
  }

  @Test
  void aBlobOtherThanItsDigestOrAboveTheLimitIsRefused() throws Exception {
    Path file = Files.write(dir.resolve("big.bin"), new byte[4096]);
    OciReference ref = OciReference.parse(new OciArtifacts(open).push("sensor/big", "v1", file));
    String digest = CLIENT.manifest(ref, Optional.empty()).select(null, null).layer().orElseThrow().digest();

    assertThatThrownBy(() -> CLIENT.blob(ref, digest, 1024, Optional.empty(), OutputStream.nullOutputStream()))
        .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.kind()).isEqualTo(OciException.Kind.TOO_LARGE));
    assertThatThrownBy(() -> CLIENT.blob(ref, "sha256:" + "0".repeat(64), Long.MAX_VALUE, Optional.empty(),
        OutputStream.nullOutputStream()))
        .isInstanceOfSatisfying(OciException.class, e -> {
          assertThat(e.status()).isEqualTo(404);
          assertThat(e.sourceFault()).isTrue();
        });
  }

  @Test
  void credentialsAreSentOnTheRegistrysChallengeAndWrongOnesNameThe401() throws Exception {
    Path file = Files.write(dir.resolve("sig.db"), "signatures".getBytes(StandardCharsets.UTF_8));
    OciReference ref = OciReference.parse(new OciArtifacts(guarded).push("av/db", "v1", file));
    Optional<OciCredentials> right = OciCredentials.fromDockerConfig(guarded.dockerConfigJson(BasicAuthUser.PASSWORD)
        .orElseThrow().getBytes(StandardCharsets.UTF_8), guarded.host());
    Optional<OciCredentials> wrong = OciCredentials.fromDockerConfig(guarded.dockerConfigJson("not-it")
        .orElseThrow().getBytes(StandardCharsets.UTF_8), guarded.host());

    assertThat(new OciRegistryClient(Set.of(), Duration.ofSeconds(10)).manifest(ref, right).layers()).hasSize(1);
    assertThatThrownBy(() -> new OciRegistryClient(Set.of(), Duration.ofSeconds(10)).manifest(ref, wrong))
        .isInstanceOfSatisfying(OciException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          assertThat(e.getMessage()).contains("registry " + guarded.host(), "401 Unauthorized");
        });
  }

  @Test
  void aRegistryThatIsDownIsAFaultOfTheSourceNamingIt() throws Exception {
    RegistryServer down = new RegistryServer(false).start();
    OciReference ref = OciReference.parse(new OciArtifacts(down).push("x/y", "v1",
        Files.write(dir.resolve("f"), new byte[] {1})));
    down.stop();

    assertThatThrownBy(() -> CLIENT.manifest(ref, Optional.empty()))
        .isInstanceOfSatisfying(OciException.class, e -> {
          assertThat(e.sourceFault()).isTrue();
          assertThat(e.status()).isZero();
          assertThat(e.getMessage()).contains("registry " + down.host() + " did not answer");
        });
  }
}
