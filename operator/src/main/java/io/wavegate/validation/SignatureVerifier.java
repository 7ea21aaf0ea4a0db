package io.wavegate.validation;

import io.wavegate.contract.ContentBytes;
import io.wavegate.contract.Signatures;

/** The gate's signature check: the contract's verifier, with the operator's settings named in its messages. */
final class SignatureVerifier {

  private SignatureVerifier() {}

  /** Whether the content is signed as the policy demands, by a key the cluster admin trusts. */
  static Verdict verify(ContentBytes content, GateInput.SignaturePolicy policy) {
    if (policy.signed().isEmpty()) {
      return Verdict.reject(RejectReason.Unsigned, "signatures are required (operator setting"
          + " WAVEGATE_REQUIRE_SIGNATURES, chart value signatures.required) and spec.content.signature is missing");
    }
    GateInput.Signed signed = policy.signed().get();
    Signatures.Check check = Signatures.verify(content, signed.algorithm(), signed.base64Signature(), signed.keyId(),
        policy.trustedKeys());
    return switch (check.outcome()) {
      case VERIFIED -> Verdict.pass(check.message());
      case UNTRUSTED_KEY -> Verdict.reject(RejectReason.UntrustedKey, check.message()
          + " (chart value signatures.trustedKeys)");
      case BAD_SIGNATURE -> Verdict.reject(RejectReason.BadSignature, "spec.content.signature: " + check.message());
    };
  }
}
