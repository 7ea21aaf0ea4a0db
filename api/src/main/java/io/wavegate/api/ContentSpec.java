package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.wavegate.contract.ContentFileNames;

@ValidationRule(value = "has(self.fileName) || !has(self.source) || ((!has(self.source.configMapRef)"
    + " || !has(self.source.configMapRef.key) || !self.source.configMapRef.key.startsWith('.'))"
    + " && (!has(self.source.secretRef) || !has(self.source.secretRef.key)"
    + " || !self.source.secretRef.key.startsWith('.'))"
    + " && (!has(self.source.oci) || !has(self.source.oci.file) || !self.source.oci.file.startsWith('.')))",
    message = "the source key starts with '.', and no file name on nodes may (such names are the node agent's own):"
        + " set spec.content.fileName")
@ValidationRule(value = "has(self.fileName) || !has(self.source) || !has(self.source.oci) || has(self.source.oci.file)",
    message = "an oci source names no file (oci.file): set spec.content.fileName, the file name on nodes")
public class ContentSpec {

  @Required
  @Size(max = 64)
  @ValidationRule(value = "self.matches('^[0-9a-f]{64}$')",
      message = "sha256 must be the 64 lowercase hex characters of the SHA-256 of the exact bytes to deliver")
  @JsonPropertyDescription("SHA-256 of the exact bytes to deliver, 64 lowercase hex characters.")
  private String sha256;

  @Required
  @JsonPropertyDescription("Where the bytes are read from: exactly one of configMapRef, secretRef or oci.")
  private ContentSource source;

  @Size(max = 253)
  @ValidationRule(value = "self.matches('" + ContentFileNames.PATTERN + "')",
      message = "fileName must be " + ContentFileNames.RULE)
  @JsonPropertyDescription("File name on nodes. Default: the source key. It may not start with '.': such names are"
      + " the node agent's own.")
  private String fileName;

  @JsonPropertyDescription("Optional detached signature over the bytes, checked against a PEM public key.")
  private SignatureSpec signature;

  public String getSha256() { return sha256; }
  public void setSha256(String sha256) { this.sha256 = sha256; }
  public ContentSource getSource() { return source; }
  public void setSource(ContentSource source) { this.source = source; }
  public String getFileName() { return fileName; }
  public void setFileName(String fileName) { this.fileName = fileName; }
  public SignatureSpec getSignature() { return signature; }
  public void setSignature(SignatureSpec signature) { this.signature = signature; }
}
