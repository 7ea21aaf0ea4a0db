package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Secret by namespace and name; the operator reads Secrets only in its source namespaces. */
public class SecretRef {

  @Required
  @Size(min = 1, max = 63)
  @JsonPropertyDescription("Namespace of the Secret: one the operator may read sources in (a source namespace).")
  private String namespace;

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of the Secret.")
  private String name;

  public String getNamespace() { return namespace; }
  public void setNamespace(String namespace) { this.namespace = namespace; }
  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
}
