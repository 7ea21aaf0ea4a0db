package io.wavegate.api;

/** How the content must parse: Raw (any bytes), JSON or YAML. */
public enum ContentFormat {
  Raw,
  JSON,
  YAML
}
