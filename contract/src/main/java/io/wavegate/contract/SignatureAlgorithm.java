package io.wavegate.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The detached signature algorithms a publisher may sign content with. */
public enum SignatureAlgorithm {
  @JsonProperty("Ed25519")
  ED25519("Ed25519"),
  @JsonProperty("ECDSA-P256-SHA256")
  ECDSA_P256_SHA256("ECDSA-P256-SHA256");

  private final String specName;

  SignatureAlgorithm(String specName) {
    this.specName = specName;
  }

  /** The algorithm as written in a ContentRollout or a snapshot's annotation; empty when unknown. */
  public static java.util.Optional<SignatureAlgorithm> of(String specName) {
    return java.util.Arrays.stream(values()).filter(a -> a.specName.equals(specName)).findFirst();
  }

  /** As written in a ContentRollout. */
  @Override
  public String toString() {
    return specName;
  }
}
