package io.wavegate.validation;

import io.wavegate.api.ContentFormat;
import io.wavegate.api.SignatureAlgorithm;
import java.util.Optional;

/** Everything the content gate looks at: the exact bytes and the rules they must meet. */
public record GateInput(
    byte[] content,
    String expectedSha256,
    long minBytes,
    long maxBytes,
    boolean rejectZeroFilled,
    ContentFormat format,
    Optional<String> jsonSchema,
    Optional<SignatureCheck> signature) {

  /** A detached signature over the content and the PEM public key that must verify it. */
  public record SignatureCheck(SignatureAlgorithm algorithm, String base64Signature, String publicKeyPem) {}
}
