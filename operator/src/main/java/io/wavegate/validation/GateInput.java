package io.wavegate.validation;

import io.wavegate.api.ContentFormat;
import io.wavegate.contract.ContentBytes;
import io.wavegate.contract.SignatureAlgorithm;
import java.util.Map;
import java.util.Optional;

/** Everything the content gate looks at: the exact bytes (streamed, any size) and the rules they must meet. */
public record GateInput(
    ContentBytes content,
    ContentFacts facts,
    String expectedSha256,
    long minBytes,
    long maxBytes,
    boolean rejectZeroFilled,
    ContentFormat format,
    Optional<String> jsonSchema,
    SignaturePolicy signature,
    boolean secret) {

  public GateInput(byte[] content, String expectedSha256, long minBytes, long maxBytes, boolean rejectZeroFilled,
      ContentFormat format, Optional<String> jsonSchema, SignaturePolicy signature, boolean secret) {
    this(ContentBytes.of(content), ContentFacts.of(content), expectedSha256, minBytes, maxBytes, rejectZeroFilled, format, jsonSchema, signature,
        secret);
  }

  /**
   * The publisher's detached signature, if any, and the trust root: the public keys (PEM, by key id)
   * the cluster admin configured, never keys the ContentRollout names; and whether every revision
   * must be signed.
   */
  public record SignaturePolicy(Optional<Signed> signed, Map<String, String> trustedKeys, boolean required) {

    public static final SignaturePolicy NONE = new SignaturePolicy(Optional.empty(), Map.of(), false);
  }

  /** A signature over the content, and the trusted key it names (null: any trusted key of the algorithm). */
  public record Signed(SignatureAlgorithm algorithm, String base64Signature, String keyId) {}
}
