package io.wavegate.e2e.support;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;

/** A publisher's Ed25519 key, as a release pipeline would hold it: signs bytes, hands out its PEM public key. */
public final class Signing {

  private Signing() {}

  public static KeyPair ed25519() throws GeneralSecurityException {
    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  /** The detached signature over the bytes, base64, as spec.content.signature.value takes it. */
  public static String sign(KeyPair keys, byte[] bytes) throws GeneralSecurityException {
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(keys.getPrivate());
    signer.update(bytes);
    return Base64.getEncoder().encodeToString(signer.sign());
  }

  /** A snapshot's signature annotations (docs/node-contract.md): the bytes signed with Ed25519 by {@code keys}. */
  public static java.util.Map<String, String> snapshotAnnotations(KeyPair keys, String keyId, byte[] bytes)
      throws GeneralSecurityException {
    return java.util.Map.of(io.wavegate.contract.SnapshotFormat.SIGNATURE_ANNOTATION, sign(keys, bytes),
        io.wavegate.contract.SnapshotFormat.SIGNATURE_ALGORITHM_ANNOTATION, "Ed25519",
        io.wavegate.contract.SnapshotFormat.SIGNATURE_KEY_ID_ANNOTATION, keyId);
  }

  public static String pem(KeyPair keys) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }
}
