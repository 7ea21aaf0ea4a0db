package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

public class SignatureSpec {

  @Required
  @JsonPropertyDescription("Ed25519 or ECDSA-P256-SHA256.")
  private SignatureAlgorithm algorithm;

  @Required
  @Size(min = 1, max = 1024)
  @JsonPropertyDescription("The detached signature over the content bytes, base64.")
  private String value;

  @Required
  @JsonPropertyDescription("The PEM public key (SubjectPublicKeyInfo) that must verify the signature.")
  private KeyRef publicKeyRef;

  public SignatureAlgorithm getAlgorithm() { return algorithm; }
  public void setAlgorithm(SignatureAlgorithm algorithm) { this.algorithm = algorithm; }
  public String getValue() { return value; }
  public void setValue(String value) { this.value = value; }
  public KeyRef getPublicKeyRef() { return publicKeyRef; }
  public void setPublicKeyRef(KeyRef publicKeyRef) { this.publicKeyRef = publicKeyRef; }
}
