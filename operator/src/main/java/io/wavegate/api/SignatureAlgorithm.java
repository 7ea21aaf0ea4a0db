package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum SignatureAlgorithm {
  @JsonProperty("Ed25519")
  ED25519("Ed25519"),
  @JsonProperty("ECDSA-P256-SHA256")
  ECDSA_P256_SHA256("ECDSA-P256-SHA256");

  private final String specName;

  SignatureAlgorithm(String specName) {
    this.specName = specName;
  }

  /** As written in a ContentRollout. */
  @Override
  public String toString() {
    return specName;
  }
}
