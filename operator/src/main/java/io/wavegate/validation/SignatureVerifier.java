package io.wavegate.validation;

import io.wavegate.api.SignatureAlgorithm;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Verifies a detached Ed25519 or ECDSA P-256/SHA-256 signature with the JDK's own crypto. */
final class SignatureVerifier {

  private static final int P1363_P256_LENGTH = 64;

  private SignatureVerifier() {}

  static Verdict verify(byte[] content, GateInput.SignatureCheck check) {
    PublicKey key;
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(check.base64Signature().trim());
    } catch (IllegalArgumentException e) {
      return Verdict.reject(RejectReason.BadSignature, "spec.content.signature.value is not base64: " + e.getMessage());
    }
    try {
      key = parsePublicKey(check.publicKeyPem(), check.algorithm());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return Verdict.reject(RejectReason.BadSignature,
          "the public key is not a PEM " + keyType(check.algorithm()) + " public key: " + e.getMessage());
    }
    try {
      Signature verifier = Signature.getInstance(jcaName(check.algorithm(), signature.length));
      verifier.initVerify(key);
      verifier.update(content);
      if (verifier.verify(signature)) {
        return Verdict.pass("signature verified");
      }
      return Verdict.reject(RejectReason.BadSignature,
          check.algorithm() + " signature does not verify against the public key for these bytes");
    } catch (GeneralSecurityException e) {
      return Verdict.reject(RejectReason.BadSignature, "signature cannot be verified: " + e.getMessage());
    }
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
