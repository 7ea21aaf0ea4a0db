package io.wavegate.contract;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Verifies a publisher's detached Ed25519 or ECDSA P-256/SHA-256 signature over content bytes
 * with the JDK's own crypto, against PEM public keys by key id. The content gate and the node
 * agent both judge signatures with this, so they cannot disagree.
 */
public final class Signatures {

  private static final int P1363_P256_LENGTH = 64;
  /** The largest content an Ed25519 signature is checked on (see {@link #verify(ContentBytes, SignatureAlgorithm, String, String, Map)}). */
  public static final long ED25519_MAX_BYTES = 16L * 1024 * 1024;

  private Signatures() {}

  public enum Outcome { VERIFIED, UNTRUSTED_KEY, BAD_SIGNATURE }

  public record Check(Outcome outcome, String message) {
    public boolean verified() {
      return outcome == Outcome.VERIFIED;
    }
  }

  /**
   * @param keyId the key the publisher names, or null to try every trusted key
   * @param trustedPems key id to PEM public key
   */
  public static Check verify(byte[] content, SignatureAlgorithm algorithm, String base64Signature, String keyId,
      Map<String, String> trustedPems) {
    return verify(ContentBytes.of(content), algorithm, base64Signature, keyId, trustedPems);
  }

  /**
   * Streams the content through the verifier. Ed25519 (pure EdDSA) reads the message twice, so the
   * JDK holds it in memory: it is refused above {@link #ED25519_MAX_BYTES}, where ECDSA streams.
   */
  public static Check verify(ContentBytes content, SignatureAlgorithm algorithm, String base64Signature, String keyId,
      Map<String, String> trustedPems) {
    if (algorithm == SignatureAlgorithm.ED25519 && content.size() > ED25519_MAX_BYTES) {
      return new Check(Outcome.BAD_SIGNATURE, "Ed25519 signatures are checked on content up to "
          + ED25519_MAX_BYTES / (1024 * 1024) + " MiB (Ed25519 needs the whole file in memory); this content is "
          + content.size() + " bytes: sign it with ECDSA-P256-SHA256, which streams");
    }
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(base64Signature.trim());
    } catch (IllegalArgumentException e) {
      return new Check(Outcome.BAD_SIGNATURE, "the signature is not base64: " + e.getMessage());
    }
    Map<String, String> candidates = new TreeMap<>(trustedPems);
    if (keyId != null) {
      if (!candidates.containsKey(keyId)) {
        return new Check(Outcome.UNTRUSTED_KEY, "key " + keyId + " is not one the cluster admin trusts " + candidates.keySet());
      }
      candidates.keySet().retainAll(List.of(keyId));
    }
    if (candidates.isEmpty()) {
      return new Check(Outcome.UNTRUSTED_KEY, "no trusted keys are configured, so no signature can be verified");
    }
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> key : candidates.entrySet()) {
      try {
        PublicKey publicKey = parsePublicKey(key.getValue(), algorithm);
        Signature verifier = Signature.getInstance(jcaName(algorithm, signature.length));
        verifier.initVerify(publicKey);
        try (InputStream in = content.open()) {
          byte[] buffer = new byte[64 * 1024];
          for (int n; (n = in.read(buffer)) >= 0; ) {
            verifier.update(buffer, 0, n);
          }
        }
        if (verifier.verify(signature)) {
          return new Check(Outcome.VERIFIED, algorithm + " signature verified by trusted key " + key.getKey());
        }
        problems.add(key.getKey() + ": does not verify");
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        problems.add(key.getKey() + ": not a PEM " + keyType(algorithm) + " public key");
      } catch (IOException e) {
        problems.add(key.getKey() + ": the content could not be read: " + e.getMessage());
      }
    }
    return new Check(Outcome.BAD_SIGNATURE, algorithm + " signature does not verify against any trusted key for"
        + " these bytes (" + String.join("; ", problems) + ")");
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
