package io.wavegate.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavegate.contract.SignatureAlgorithm;
import io.wavegate.contract.Signatures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * cosign's key-based signatures of an OCI artifact, judged against the keys the cluster admin trusts.
 * Pure: the signature objects in, a verdict out. cosign keeps them in the artifact's repository under
 * the tag {@code sha256-<manifest hex>.sig}: one layer per signature, whose blob is a "simple signing"
 * payload naming the manifest digest it vouches for, and whose annotation holds the ECDSA P-256
 * signature over that payload. A signature counts only when a trusted key verifies it and its payload
 * names exactly the manifest the gate checked.
 */
public final class CosignSignatures {

  public static final String SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  private static final ObjectMapper JSON = new ObjectMapper();

  private CosignSignatures() {}

  /** The tag cosign stores the signatures of {@code manifestDigest} under. */
  public static String tag(String manifestDigest) {
    return manifestDigest.replace(':', '-') + ".sig";
  }

  /** One signature: the payload blob's bytes and the base64 signature its layer carries. */
  public record Signed(byte[] payload, String base64Signature) {}

  public enum Outcome { VERIFIED, UNSIGNED, BAD }

  public record Verdict(Outcome outcome, String message) {}

  public static Verdict judge(List<Signed> signatures, String manifestDigest, Map<String, String> trustedKeys) {
    if (signatures.isEmpty()) {
      return new Verdict(Outcome.UNSIGNED, "the artifact carries no cosign signature (no tag " + tag(manifestDigest)
          + ")");
    }
    List<String> problems = new ArrayList<>();
    for (Signed signed : signatures) {
      String signedDigest;
      try {
        JsonNode payload = JSON.readTree(signed.payload());
        signedDigest = payload.path("critical").path("image").path("docker-manifest-digest").asText("");
      } catch (IOException e) {
        problems.add("a payload that is not JSON");
        continue;
      }
      if (!manifestDigest.equals(signedDigest)) {
        problems.add("a signature of " + (signedDigest.isEmpty() ? "no digest" : signedDigest) + ", not of this manifest");
        continue;
      }
      if (signed.base64Signature() == null) {
        problems.add("a payload without its signature annotation");
        continue;
      }
      Signatures.Check check = Signatures.verify(signed.payload(), SignatureAlgorithm.ECDSA_P256_SHA256,
          signed.base64Signature(), null, trustedKeys);
      if (check.verified()) {
        return new Verdict(Outcome.VERIFIED, "cosign signature of " + manifestDigest + " verified by "
            + check.message().substring(check.message().indexOf("trusted key")));
      }
      problems.add(check.message());
    }
    return new Verdict(Outcome.BAD, "no cosign signature of " + manifestDigest + " verifies against a trusted key ("
        + String.join("; ", problems) + ")");
  }
}
