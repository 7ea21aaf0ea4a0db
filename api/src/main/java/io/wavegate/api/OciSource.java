package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * One file of an OCI artifact in a registry, pulled by digest: the manifest by the digest the reference
 * pins, the file by the layer digest that must equal {@code content.sha256}. A tag is never followed.
 */
public class OciSource {

  /** registry[:port]/repository@sha256:64-hex; the registry host is what the first path segment names. */
  public static final String REFERENCE_PATTERN =
      "^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9]+([._-]+[a-z0-9]+)*)+@sha256:[0-9a-f]{64}$";

  @Required
  @Size(max = 512)
  @ValidationRule(value = "self.matches('" + REFERENCE_PATTERN + "')",
      message = "oci.reference must be pinned by manifest digest, as registry/repository@sha256:<64 hex>; a tag is"
          + " never followed (resolve it first, e.g. with `crane digest` or `oras resolve`)")
  @JsonPropertyDescription("The artifact, pinned by manifest digest: registry[:port]/repository@sha256:<64 hex>.")
  private String reference;

  @Size(max = 253)
  @JsonPropertyDescription("Which file of the artifact to deliver: the layer whose org.opencontainers.image.title"
      + " annotation is this name. Default: the artifact's only layer (or the one of mediaType).")
  private String file;

  @Size(max = 255)
  @JsonPropertyDescription("Which file of the artifact to deliver, by the layer's mediaType (when file is not set).")
  private String mediaType;

  @JsonPropertyDescription("A kubernetes.io/dockerconfigjson Secret with the credentials to pull with, in a"
      + " namespace the operator reads sources from. Default: anonymous.")
  private ObjectRef pullSecretRef;

  public OciSource() {}

  public OciSource(String reference, String file) {
    this.reference = reference;
    this.file = file;
  }

  public String getReference() { return reference; }
  public void setReference(String reference) { this.reference = reference; }
  public String getFile() { return file; }
  public void setFile(String file) { this.file = file; }
  public String getMediaType() { return mediaType; }
  public void setMediaType(String mediaType) { this.mediaType = mediaType; }
  public ObjectRef getPullSecretRef() { return pullSecretRef; }
  public void setPullSecretRef(ObjectRef pullSecretRef) { this.pullSecretRef = pullSecretRef; }
}
