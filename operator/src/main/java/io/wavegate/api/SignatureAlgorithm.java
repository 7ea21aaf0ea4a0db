package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum SignatureAlgorithm {
  @JsonProperty("Ed25519")
  ED25519,
  @JsonProperty("ECDSA-P256-SHA256")
  ECDSA_P256_SHA256
}
