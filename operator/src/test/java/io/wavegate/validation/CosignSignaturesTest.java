package io.wavegate.validation;

import static io.wavegate.validation.ContentGateTest.pem;
import static io.wavegate.validation.ContentGateTest.sign;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CosignSignaturesTest {

  static final String MANIFEST = "sha256:" + "9d".repeat(32);
  static final String OTHER = "sha256:" + "0e".repeat(32);

  static byte[] payload(String digest) {
    return ("{\"critical\":{\"identity\":{\"docker-reference\":\"registry.example/av/db\"},\"image\":"
        + "{\"docker-manifest-digest\":\"" + digest + "\"},\"type\":\"cosign container image signature\"},"
        + "\"optional\":null}").getBytes(StandardCharsets.UTF_8);
  }

  static KeyPair p256() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  @Test
  void aSignatureOfThisManifestByATrustedKeyVerifies() throws Exception {
    KeyPair publisher = p256();
    byte[] payload = payload(MANIFEST);

    CosignSignatures.Verdict verdict = CosignSignatures.judge(List.of(
        new CosignSignatures.Signed(payload, sign("SHA256withECDSA", publisher, payload))), MANIFEST,
        Map.of("release-2026", pem(publisher)));

    assertThat(verdict.outcome()).isEqualTo(CosignSignatures.Outcome.VERIFIED);
    assertThat(verdict.message()).contains("cosign signature of " + MANIFEST, "trusted key release-2026");
  }

  @Test
  void aValidSignatureOfAnotherManifestDoesNotVouchForThisOne() throws Exception {
    KeyPair publisher = p256();
    byte[] payload = payload(OTHER);

    CosignSignatures.Verdict verdict = CosignSignatures.judge(List.of(
        new CosignSignatures.Signed(payload, sign("SHA256withECDSA", publisher, payload))), MANIFEST,
        Map.of("release-2026", pem(publisher)));

    assertThat(verdict.outcome()).isEqualTo(CosignSignatures.Outcome.BAD);
    assertThat(verdict.message()).contains("a signature of " + OTHER + ", not of this manifest");
  }

  @Test
  void aKeyTheClusterDoesNotTrustOrATamperedPayloadIsBad() throws Exception {
    KeyPair publisher = p256();
    byte[] payload = payload(MANIFEST);
    String signature = sign("SHA256withECDSA", publisher, payload);

    assertThat(CosignSignatures.judge(List.of(new CosignSignatures.Signed(payload, signature)), MANIFEST,
        Map.of("release-2026", pem(p256()))).outcome()).isEqualTo(CosignSignatures.Outcome.BAD);
    byte[] tampered = new String(payload, StandardCharsets.UTF_8).replace("registry.example", "evil.example")
        .getBytes(StandardCharsets.UTF_8);
    assertThat(CosignSignatures.judge(List.of(new CosignSignatures.Signed(tampered, signature)), MANIFEST,
        Map.of("release-2026", pem(publisher))).outcome()).isEqualTo(CosignSignatures.Outcome.BAD);
  }

  @Test
  void oneSignatureByATrustedKeyAmongOthersIsEnoughAndNoneIsUnsigned() throws Exception {
    KeyPair publisher = p256();
    KeyPair stranger = p256();
    byte[] payload = payload(MANIFEST);

    assertThat(CosignSignatures.judge(List.of(
        new CosignSignatures.Signed(payload, sign("SHA256withECDSA", stranger, payload)),
        new CosignSignatures.Signed(payload, sign("SHA256withECDSA", publisher, payload))), MANIFEST,
        Map.of("release-2026", pem(publisher))).outcome()).isEqualTo(CosignSignatures.Outcome.VERIFIED);
    assertThat(CosignSignatures.judge(List.of(), MANIFEST, Map.of("release-2026", pem(publisher))))
        .satisfies(v -> {
          assertThat(v.outcome()).isEqualTo(CosignSignatures.Outcome.UNSIGNED);
          assertThat(v.message()).contains("no tag sha256-" + "9d".repeat(32) + ".sig");
        });
  }
}
