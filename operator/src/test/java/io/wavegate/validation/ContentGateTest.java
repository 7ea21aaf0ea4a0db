package io.wavegate.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegate.api.ContentFormat;
import io.wavegate.api.SignatureAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContentGateTest {

  private static final byte[] CHANNEL = "WGCH rule-001 rule-002 rule-003".getBytes(StandardCharsets.UTF_8);
  private static final String SCHEMA = """
      {"type": "object", "required": ["rules"],
       "properties": {"rules": {"type": "array", "items": {"type": "string"}}}}
      """;

  @Test
  void goodContentPasses() {
    Verdict verdict = ContentGate.check(raw(CHANNEL));
    assertThat(verdict.passed()).isTrue();
    assertThat(verdict.message()).contains(ContentGate.sha256Hex(CHANNEL)).contains(CHANNEL.length + " bytes");
  }

  @Test
  void digestMismatchNamesBothDigests() {
    String expected = ContentGate.sha256Hex("something else".getBytes(StandardCharsets.UTF_8));
    Verdict verdict = ContentGate.check(input(CHANNEL, expected, ContentFormat.Raw, null, null));
    assertThat(verdict.reason()).isEqualTo(RejectReason.DigestMismatch);
    assertThat(verdict.message()).contains(ContentGate.sha256Hex(CHANNEL)).contains(expected);
  }

  @Test
  void allZeroChannelFileWithItsCorrectDigestIsRefused() {
    byte[] zeros = new byte[42 * 1024];
    Verdict verdict = ContentGate.check(raw(zeros));
    assertThat(verdict.reason()).isEqualTo(RejectReason.ZeroFilled);
    assertThat(verdict.message()).isEqualTo("content is 43008 bytes, all of them zero");
  }

  @Test
  void nearlyAllZeroIsRefusedButPaddingIsNot() {
    byte[] nearly = new byte[1000];
    Arrays.fill(nearly, 0, 5, (byte) 7);
    assertThat(ContentGate.check(raw(nearly)).reason()).isEqualTo(RejectReason.ZeroFilled);
    assertThat(ContentGate.check(raw(nearly)).message()).contains("995 of them zero");

    byte[] padded = new byte[1000];
    Arrays.fill(padded, 0, 100, (byte) 7);
    assertThat(ContentGate.check(raw(padded)).passed()).isTrue();
  }

  @Test
  void zeroFilledCheckCanBeTurnedOff() {
    byte[] zeros = new byte[64];
    GateInput input = new GateInput(zeros, ContentGate.sha256Hex(zeros), 1, 1024, false, ContentFormat.Raw,
        Optional.empty(), Optional.empty());
    assertThat(ContentGate.check(input).passed()).isTrue();
  }

  @Test
  void sizesOutsideTheBoundsAreRefusedWithTheNumbers() {
    GateInput tooSmall = new GateInput(CHANNEL, ContentGate.sha256Hex(CHANNEL), 100, 1024, true, ContentFormat.Raw,
        Optional.empty(), Optional.empty());
    assertThat(ContentGate.check(tooSmall)).extracting(Verdict::reason, Verdict::message)
        .containsExactly(RejectReason.TooSmall, "content is 31 bytes, below validation.minBytes 100");
    GateInput tooLarge = new GateInput(CHANNEL, ContentGate.sha256Hex(CHANNEL), 1, 16, true, ContentFormat.Raw,
        Optional.empty(), Optional.empty());
    assertThat(ContentGate.check(tooLarge)).extracting(Verdict::reason, Verdict::message)
        .containsExactly(RejectReason.TooLarge, "content is 31 bytes, above validation.maxBytes 16");
  }

  @Test
  void jsonMustParse() {
    byte[] broken = "{\"rules\": [".getBytes(StandardCharsets.UTF_8);
    Verdict verdict = ContentGate.check(input(broken, ContentGate.sha256Hex(broken), ContentFormat.JSON, null, null));
    assertThat(verdict.reason()).isEqualTo(RejectReason.ParseError);
    assertThat(verdict.message()).startsWith("content does not parse as JSON");
  }

  @Test
  void yamlMustParse() {
    byte[] broken = "rules: [a, b\n  c: : d".getBytes(StandardCharsets.UTF_8);
    Verdict verdict = ContentGate.check(input(broken, ContentGate.sha256Hex(broken), ContentFormat.YAML, null, null));
    assertThat(verdict.reason()).isEqualTo(RejectReason.ParseError);
  }

  @Test
  void jsonSchemaIsEnforcedOnJsonAndYaml() {
    byte[] good = "{\"rules\": [\"a\", \"b\"]}".getBytes(StandardCharsets.UTF_8);
    assertThat(ContentGate.check(input(good, ContentGate.sha256Hex(good), ContentFormat.JSON, SCHEMA, null)).passed()).isTrue();

    byte[] bad = "{\"rules\": [1, 2]}".getBytes(StandardCharsets.UTF_8);
    Verdict verdict = ContentGate.check(input(bad, ContentGate.sha256Hex(bad), ContentFormat.JSON, SCHEMA, null));
    assertThat(verdict.reason()).isEqualTo(RejectReason.SchemaViolation);
    assertThat(verdict.message()).startsWith("2 schema violation(s)").contains("rules");

    byte[] yamlMissing = "other: true\n".getBytes(StandardCharsets.UTF_8);
    Verdict yaml = ContentGate.check(input(yamlMissing, ContentGate.sha256Hex(yamlMissing), ContentFormat.YAML, SCHEMA, null));
    assertThat(yaml.reason()).isEqualTo(RejectReason.SchemaViolation);
    assertThat(yaml.message()).contains("rules");
  }

  @Test
  void ed25519SignatureIsVerified() throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String signature = sign("Ed25519", keys, CHANNEL);
    GateInput.SignatureCheck good = new GateInput.SignatureCheck(SignatureAlgorithm.ED25519, signature, pem(keys));
    assertThat(ContentGate.check(input(CHANNEL, ContentGate.sha256Hex(CHANNEL), ContentFormat.Raw, null, good)).passed()).isTrue();

    KeyPair otherKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    GateInput.SignatureCheck wrongKey = new GateInput.SignatureCheck(SignatureAlgorithm.ED25519, signature, pem(otherKeys));
    Verdict verdict = ContentGate.check(input(CHANNEL, ContentGate.sha256Hex(CHANNEL), ContentFormat.Raw, null, wrongKey));
    assertThat(verdict.reason()).isEqualTo(RejectReason.BadSignature);
    assertThat(verdict.message()).contains("does not verify");
  }

  @Test
  void ecdsaP256SignatureIsVerifiedInDerAndRawForm() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    for (String jca : new String[] {"SHA256withECDSA", "SHA256withECDSAinP1363Format"}) {
      GateInput.SignatureCheck check = new GateInput.SignatureCheck(SignatureAlgorithm.ECDSA_P256_SHA256,
          sign(jca, keys, CHANNEL), pem(keys));
      assertThat(ContentGate.check(input(CHANNEL, ContentGate.sha256Hex(CHANNEL), ContentFormat.Raw, null, check)).passed())
          .as(jca).isTrue();
    }
    byte[] tampered = "WGCH rule-001 rule-002 rule-004".getBytes(StandardCharsets.UTF_8);
    GateInput.SignatureCheck check = new GateInput.SignatureCheck(SignatureAlgorithm.ECDSA_P256_SHA256,
        sign("SHA256withECDSA", keys, CHANNEL), pem(keys));
    assertThat(ContentGate.check(input(tampered, ContentGate.sha256Hex(tampered), ContentFormat.Raw, null, check)).reason())
        .isEqualTo(RejectReason.BadSignature);
  }

  @Test
  void malformedKeyOrSignatureIsABadSignatureWithAReason() throws Exception {
    GateInput.SignatureCheck notBase64 = new GateInput.SignatureCheck(SignatureAlgorithm.ED25519, "%%%", "irrelevant");
    assertThat(ContentGate.check(input(CHANNEL, ContentGate.sha256Hex(CHANNEL), ContentFormat.Raw, null, notBase64)).message())
        .contains("not base64");
    GateInput.SignatureCheck badKey = new GateInput.SignatureCheck(SignatureAlgorithm.ED25519, "AAAA",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----");
    assertThat(ContentGate.check(input(CHANNEL, ContentGate.sha256Hex(CHANNEL), ContentFormat.Raw, null, badKey)).message())
        .contains("not a PEM Ed25519 public key");
  }

  private static GateInput raw(byte[] bytes) {
    return input(bytes, ContentGate.sha256Hex(bytes), ContentFormat.Raw, null, null);
  }

  private static GateInput input(byte[] bytes, String sha, ContentFormat format, String schema,
      GateInput.SignatureCheck signature) {
    return new GateInput(bytes, sha, 1, 1 << 20, true, format, Optional.ofNullable(schema), Optional.ofNullable(signature));
  }

  private static String sign(String jca, KeyPair keys, byte[] bytes) throws Exception {
    Signature signer = Signature.getInstance(jca);
    signer.initSign(keys.getPrivate());
    signer.update(bytes);
    return Base64.getEncoder().encodeToString(signer.sign());
  }

  private static String pem(KeyPair keys) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }
}
