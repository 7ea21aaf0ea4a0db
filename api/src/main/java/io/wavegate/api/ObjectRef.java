package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A namespaced object by name. Only namespaces the operator is configured to read are allowed. */
public class ObjectRef {

  @Size(max = 63)
  @JsonPropertyDescription("Namespace of the object. Default: the operator's namespace.")
  private String namespace;

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of the object.")
  private String name;

  public ObjectRef() {}

  public ObjectRef(String namespace, String name) {
    this.namespace = namespace;
    this.name = name;
  }

  public String getNamespace() { return namespace; }
  public void setNamespace(String namespace) { this.namespace = namespace; }
  public String getName() { return name; }
  public void setName(String name) { this.name = name; }

  @Override
  public String toString() {
    return (namespace == null ? "" : namespace + "/") + name;
  }
}
