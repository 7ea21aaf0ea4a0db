package io.wavegate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One key of a ConfigMap or Secret. Only namespaces the operator is configured to read are allowed. */
public class KeyRef {

  @Size(max = 63)
  @JsonPropertyDescription("Namespace of the object. Default: the operator's namespace.")
  private String namespace;

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of the ConfigMap or Secret.")
  private String name;

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("The key holding the bytes.")
  private String key;

  public KeyRef() {}

  public KeyRef(String namespace, String name, String key) {
    this.namespace = namespace;
    this.name = name;
    this.key = key;
  }

  public String getNamespace() { return namespace; }
  public void setNamespace(String namespace) { this.namespace = namespace; }
  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getKey() { return key; }
  public void setKey(String key) { this.key = key; }

  @Override
  public String toString() {
    return (namespace == null ? "" : namespace + "/") + name + "[" + key + "]";
  }
}
