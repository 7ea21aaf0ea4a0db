package io.wavegate.api;

import io.wavegate.contract.SignatureAlgorithm;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

public class SignatureSpec {

  @Required
  @JsonPropertyDescription("Ed25519 or ECDSA-P256-SHA256.")
  private SignatureAlgorithm algorithm;

  @Required
  @Size(min = 1, max = 1024)
  @JsonPropertyDescription("The detached signature over the content bytes, base64.")
  private String value;

  @Size(min = 1, max = 63)
  @ValidationRule(value = "self.matches('^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$')",
      message = "keyId must be the id of a trusted key: letters, digits, '-', '_', '.'")
  @JsonPropertyDescription("The id of the trusted key that signed (one the cluster admin configured, chart value"
      + " signatures.trustedKeys). Default: every trusted key of the algorithm is tried.")
  private String keyId;

  public SignatureAlgorithm getAlgorithm() { return algorithm; }
  public void setAlgorithm(SignatureAlgorithm algorithm) { this.algorithm = algorithm; }
  public String getValue() { return value; }
  public void setValue(String value) { this.value = value; }
  public String getKeyId() { return keyId; }
  public void setKeyId(String keyId) { this.keyId = keyId; }
}
