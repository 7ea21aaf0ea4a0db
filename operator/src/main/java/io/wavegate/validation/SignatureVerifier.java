package io.wavegate.validation;

import io.wavegate.api.SignatureAlgorithm;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Verifies a detached Ed25519 or ECDSA P-256/SHA-256 signature with the JDK's own crypto. */
final class SignatureVerifier {

  private static final int P1363_P256_LENGTH = 64;

  private SignatureVerifier() {}

  /** Whether the content is signed as the policy demands, by a key the cluster admin trusts. */
  static Verdict verify(byte[] content, GateInput.SignaturePolicy policy) {
    if (policy.signed().isEmpty()) {
      return Verdict.reject(RejectReason.Unsigned, "signatures are required (operator setting"
          + " WAVEGATE_REQUIRE_SIGNATURES, chart value signatures.required) and spec.content.signature is missing");
    }
    GateInput.Signed signed = policy.signed().get();
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(signed.base64Signature().trim());
    } catch (IllegalArgumentException e) {
      return Verdict.reject(RejectReason.BadSignature, "spec.content.signature.value is not base64: " + e.getMessage());
    }
    Map<String, String> candidates = new TreeMap<>(policy.trustedKeys());
    if (signed.keyId() != null) {
      if (!candidates.containsKey(signed.keyId())) {
        return Verdict.reject(RejectReason.UntrustedKey, "key " + signed.keyId() + " is not one the cluster admin"
            + " trusts " + candidates.keySet() + " (chart value signatures.trustedKeys)");
      }
      candidates.keySet().retainAll(Set.of(signed.keyId()));
    }
    if (candidates.isEmpty()) {
      return Verdict.reject(RejectReason.UntrustedKey, "no trusted keys are configured, so no signature can be"
          + " verified (chart value signatures.trustedKeys)");
    }
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> key : candidates.entrySet()) {
      try {
        PublicKey publicKey = parsePublicKey(key.getValue(), signed.algorithm());
        Signature verifier = Signature.getInstance(jcaName(signed.algorithm(), signature.length));
        verifier.initVerify(publicKey);
        verifier.update(content);
        if (verifier.verify(signature)) {
          return Verdict.pass(signed.algorithm() + " signature verified by trusted key " + key.getKey());
        }
        problems.add(key.getKey() + ": does not verify");
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        problems.add(key.getKey() + ": not a PEM " + keyType(signed.algorithm()) + " public key");
      }
    }
    return Verdict.reject(RejectReason.BadSignature, signed.algorithm() + " signature does not verify against"
        + " any trusted key for these bytes (" + String.join("; ", problems) + ")");
  }

  private static PublicKey parsePublicKey(String pem, SignatureAlgorithm algorithm) throws GeneralSecurityException {
    String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(base64);
    return KeyFactory.getInstance(keyType(algorithm)).generatePublic(new X509EncodedKeySpec(der));
  }

  private static String keyType(SignatureAlgorithm algorithm) {
    return algorithm == SignatureAlgorithm.ED25519 ? "Ed25519" : "EC";
  }

  private static String jcaName(SignatureAlgorithm algorithm, int signatureLength) {
    if (algorithm == SignatureAlgorithm.ED25519) {
      return "Ed25519";
    }
    // openssl writes DER; some signers (e.g. cloud KMS, JOSE) write the raw 64-byte r||s form.
    return signatureLength == P1363_P256_LENGTH ? "SHA256withECDSAinP1363Format" : "SHA256withECDSA";
  }
}
