package io.wavegate.validation;

import io.wavegate.contract.Digests;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavegate.api.ContentFormat;
import io.wavegate.contract.SignatureAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
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
    assertThat(verdict.message()).contains(Digests.sha256Hex(CHANNEL)).contains(CHANNEL.length + " bytes");
  }

  @Test
  void digestMismatchNamesBothDigests() {
    String expected = Digests.sha256Hex("something else".getBytes(StandardCharsets.UTF_8));
    Verdict verdict = ContentGate.check(input(CHANNEL, expected, ContentFormat.Raw, null, null));
    assertThat(verdict.reason()).isEqualTo(RejectReason.DigestMismatch);
    assertThat(verdict.message()).contains(Digests.sha256Hex(CHANNEL)).contains(expected);
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
    GateInput input = new GateInput(zeros, Digests.sha256Hex(zeros), 1, 1024, false, ContentFormat.Raw,
        Optional.empty(), GateInput.SignaturePolicy.NONE, false);
    assertThat(ContentGate.check(input).passed()).isTrue();
  }

  @Test
  void sizesOutsideTheBoundsAreRefusedWithTheNumbers() {
    GateInput tooSmall = new GateInput(CHANNEL, Digests.sha256Hex(CHANNEL), 100, 1024, true, ContentFormat.Raw,
        Optional.empty(), GateInput.SignaturePolicy.NONE, false);
    assertThat(ContentGate.check(tooSmall)).extracting(Verdict::reason, Verdict::message)
        .containsExactly(RejectReason.TooSmall, "content is 31 bytes, below validation.minBytes 100");
    GateInput tooLarge = new GateInput(CHANNEL, Digests.sha256Hex(CHANNEL), 1, 16, true, ContentFormat.Raw,
        Optional.empty(), GateInput.SignaturePolicy.NONE, false);
    assertThat(ContentGate.check(tooLarge)).extracting(Verdict::reason, Verdict::message)
        .containsExactly(RejectReason.TooLarge, "content is 31 bytes, above validation.maxBytes 16");
  }

  @Test
  void jsonMustParse() {
    byte[] broken = "{\"rules\": [".getBytes(StandardCharsets.UTF_8);
    Verdict verdict = ContentGate.check(input(broken, Digests.sha256Hex(broken), ContentFormat.JSON, null, null));
    assertThat(verdict.reason()).isEqualTo(RejectReason.ParseError);
    assertThat(verdict.message()).startsWith("content does not parse as JSON");
  }

  @Test
  void yamlMustParse() {
    byte[] broken = "rules: [a, b\n  c: : d".getBytes(StandardCharsets.UTF_8);
    Verdict verdict = ContentGate.check(input(broken, Digests.sha256Hex(broken), ContentFormat.YAML, null, null));
    assertThat(verdict.reason()).isEqualTo(RejectReason.ParseError);
  }

  @Test
  void jsonSchemaIsEnforcedOnJsonAndYaml() {
    byte[] good = "{\"rules\": [\"a\", \"b\"]}".getBytes(StandardCharsets.UTF_8);
    assertThat(ContentGate.check(input(good, Digests.sha256Hex(good), ContentFormat.JSON, SCHEMA, null)).passed()).isTrue();

    byte[] bad = "{\"rules\": [1, 2]}".getBytes(StandardCharsets.UTF_8);
    Verdict verdict = ContentGate.check(input(bad, Digests.sha256Hex(bad), ContentFormat.JSON, SCHEMA, null));
    assertThat(verdict.reason()).isEqualTo(RejectReason.SchemaViolation);
    assertThat(verdict.message()).startsWith("2 schema violation(s)").contains("rules");

    byte[] yamlMissing = "other: true\n".getBytes(StandardCharsets.UTF_8);
    Verdict yaml = ContentGate.check(input(yamlMissing, Digests.sha256Hex(yamlMissing), ContentFormat.YAML, SCHEMA, null));
    assertThat(yaml.reason()).isEqualTo(RejectReason.SchemaViolation);
    assertThat(yaml.message()).contains("rules");
  }

  @Test
  void ed25519SignatureIsVerifiedByATrustedKeyNamedOrNot() throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String signature = sign("Ed25519", keys, CHANNEL);
    Map<String, String> trusted = Map.of("release-2026", pem(keys));

    Verdict named = check(CHANNEL, signed(SignatureAlgorithm.ED25519, signature, "release-2026", trusted, false));
    assertThat(named.passed()).isTrue();
    assertThat(named.message()).contains("Ed25519 signature verified by trusted key release-2026");
    assertThat(check(CHANNEL, signed(SignatureAlgorithm.ED25519, signature, null, trusted, false)).passed()).isTrue();

    KeyPair otherKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Verdict wrongKey = check(CHANNEL, signed(SignatureAlgorithm.ED25519, signature, null,
        Map.of("release-2026", pem(otherKeys)), false));
    assertThat(wrongKey.reason()).isEqualTo(RejectReason.BadSignature);
    assertThat(wrongKey.message()).contains("does not verify against any trusted key");
  }

  @Test
  void aKeyTheClusterAdminDoesNotTrustIsRefusedWhateverItSigns() throws Exception {
    KeyPair publisherOwn = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    KeyPair trusted = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String signature = sign("Ed25519", publisherOwn, CHANNEL);

    Verdict unknownId = check(CHANNEL, signed(SignatureAlgorithm.ED25519, signature, "my-own-key",
        Map.of("release-2026", pem(trusted)), false));
    assertThat(unknownId.reason()).isEqualTo(RejectReason.UntrustedKey);
    assertThat(unknownId.message()).contains("my-own-key is not one the cluster admin trusts [release-2026]");

    Verdict noneConfigured = check(CHANNEL, signed(SignatureAlgorithm.ED25519, signature, null, Map.of(), false));
    assertThat(noneConfigured.reason()).isEqualTo(RejectReason.UntrustedKey);
  }

  @Test
  void requiredSignaturesRefuseUnsignedContentAndNothingElseChanges() {
    GateInput.SignaturePolicy required = new GateInput.SignaturePolicy(Optional.empty(), Map.of(), true);
    Verdict unsigned = check(CHANNEL, required);
    assertThat(unsigned.reason()).isEqualTo(RejectReason.Unsigned);
    assertThat(check(CHANNEL, GateInput.SignaturePolicy.NONE).passed()).isTrue();
  }

  @Test
  void keyRotationTrustsBothKeysThenOnlyTheNewOne() throws Exception {
    KeyPair old = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    KeyPair next = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Map<String, String> both = Map.of("release-2026", pem(old), "release-2027", pem(next));
    assertThat(check(CHANNEL, signed(SignatureAlgorithm.ED25519, sign("Ed25519", old, CHANNEL), null, both, true)).passed())
        .isTrue();
    assertThat(check(CHANNEL, signed(SignatureAlgorithm.ED25519, sign("Ed25519", next, CHANNEL), null, both, true))
        .passed()).isTrue();
    Map<String, String> rotated = Map.of("release-2027", pem(next));
    assertThat(check(CHANNEL, signed(SignatureAlgorithm.ED25519, sign("Ed25519", old, CHANNEL), null, rotated, true))
        .reason()).isEqualTo(RejectReason.BadSignature);
  }

  @Test
  void ecdsaP256SignatureIsVerifiedInDerAndRawForm() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    Map<String, String> trusted = Map.of("ec", pem(keys));
    for (String jca : new String[] {"SHA256withECDSA", "SHA256withECDSAinP1363Format"}) {
      assertThat(check(CHANNEL, signed(SignatureAlgorithm.ECDSA_P256_SHA256, sign(jca, keys, CHANNEL), "ec", trusted,
          false)).passed()).as(jca).isTrue();
    }
    byte[] tampered = "WGCH rule-001 rule-002 rule-004".getBytes(StandardCharsets.UTF_8);
    assertThat(check(tampered, signed(SignatureAlgorithm.ECDSA_P256_SHA256, sign("SHA256withECDSA", keys, CHANNEL), "ec",
        trusted, false)).reason()).isEqualTo(RejectReason.BadSignature);
  }

  @Test
  void malformedKeyOrSignatureIsABadSignatureWithAReason() {
    assertThat(check(CHANNEL, signed(SignatureAlgorithm.ED25519, "%%%", null, Map.of("k", "irrelevant"), false))
        .message()).contains("not base64");
    assertThat(check(CHANNEL, signed(SignatureAlgorithm.ED25519, "AAAA", null,
        Map.of("k", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"), false)).message())
        .contains("k: not a PEM Ed25519 public key");
  }

  @Test
  void contentFromASecretIsNeverQuotedInARefusal() {
    byte[] secret = "{\"token\": hunter2-very-secret}".getBytes(StandardCharsets.UTF_8);
    Verdict parse = ContentGate.check(new GateInput(secret, Digests.sha256Hex(secret), 1, 1 << 20, true,
        ContentFormat.JSON, Optional.empty(), GateInput.SignaturePolicy.NONE, true));
    assertThat(parse.reason()).isEqualTo(RejectReason.ParseError);
    assertThat(parse.message()).contains("line 1").doesNotContain("hunter2");

    byte[] wrongType = "{\"rules\": \"hunter2-very-secret\"}".getBytes(StandardCharsets.UTF_8);
    Verdict schema = ContentGate.check(new GateInput(wrongType, Digests.sha256Hex(wrongType), 1, 1 << 20, true,
        ContentFormat.JSON, Optional.of(SCHEMA), GateInput.SignaturePolicy.NONE, true));
    assertThat(schema.reason()).isEqualTo(RejectReason.SchemaViolation);
    assertThat(schema.message()).contains("$.rules").doesNotContain("hunter2");
  }

  private static GateInput.SignaturePolicy signed(SignatureAlgorithm algorithm, String signature, String keyId,
      Map<String, String> trusted, boolean required) {
    return new GateInput.SignaturePolicy(Optional.of(new GateInput.Signed(algorithm, signature, keyId)), trusted, required);
  }

  private static Verdict check(byte[] bytes, GateInput.SignaturePolicy signature) {
    return ContentGate.check(new GateInput(bytes, Digests.sha256Hex(bytes), 1, 1 << 20, true, ContentFormat.Raw,
        Optional.empty(), signature, false));
  }

  private static GateInput raw(byte[] bytes) {
    return input(bytes, Digests.sha256Hex(bytes), ContentFormat.Raw, null, null);
  }

  private static GateInput input(byte[] bytes, String sha, ContentFormat format, String schema,
      GateInput.SignaturePolicy signature) {
    return new GateInput(bytes, sha, 1, 1 << 20, true, format, Optional.ofNullable(schema),
        signature == null ? GateInput.SignaturePolicy.NONE : signature, false);
  }

  static String sign(String jca, KeyPair keys, byte[] bytes) throws Exception {
    Signature signer = Signature.getInstance(jca);
    signer.initSign(keys.getPrivate());
    signer.update(bytes);
    return Base64.getEncoder().encodeToString(signer.sign());
  }

  static String pem(KeyPair keys) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }
}
