package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

@ValidationRule(value = "[has(self.configMapRef), has(self.secretRef), has(self.oci)].filter(x, x).size() == 1",
    message = "exactly one content source must be set: configMapRef, secretRef or oci")
public class ContentSource {

  @JsonPropertyDescription("A key of a ConfigMap holding the content (binaryData or data).")
  private KeyRef configMapRef;

  @JsonPropertyDescription("A key of a Secret holding the content.")
  private KeyRef secretRef;

  @JsonPropertyDescription("One file of an OCI artifact in a registry, pulled by digest and streamed: any size.")
  private OciSource oci;

  public KeyRef getConfigMapRef() { return configMapRef; }
  public void setConfigMapRef(KeyRef configMapRef) { this.configMapRef = configMapRef; }
  public KeyRef getSecretRef() { return secretRef; }
  public void setSecretRef(KeyRef secretRef) { this.secretRef = secretRef; }
  public OciSource getOci() { return oci; }
  public void setOci(OciSource oci) { this.oci = oci; }
}
